import Testing

@Test func JunctionChannelsTestsBuilds() {}
