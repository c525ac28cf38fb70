import Testing

@Test func JunctionCurlTestsBuilds() {}
