import Testing

@Test func JunctionSystemTestsBuilds() {}
