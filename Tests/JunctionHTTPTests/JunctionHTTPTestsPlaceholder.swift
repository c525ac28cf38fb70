import Testing

@Test func JunctionHTTPTestsBuilds() {}
