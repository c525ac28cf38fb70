import Testing

@Test func JunctionAdaptersTestsBuilds() {}
