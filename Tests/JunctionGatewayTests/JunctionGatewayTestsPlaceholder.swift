import Testing

@Test func JunctionGatewayTestsBuilds() {}
