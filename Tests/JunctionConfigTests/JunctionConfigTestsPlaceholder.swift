import Testing

@Test func JunctionConfigTestsBuilds() {}
