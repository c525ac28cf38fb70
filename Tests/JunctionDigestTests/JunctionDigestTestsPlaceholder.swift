import Testing

@Test func JunctionDigestTestsBuilds() {}
