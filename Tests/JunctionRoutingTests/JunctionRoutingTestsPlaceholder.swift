import Testing

@Test func JunctionRoutingTestsBuilds() {}
