import Testing

@Test func JunctionModelTestsBuilds() {}
