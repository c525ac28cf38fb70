import Testing

@Test func JunctionJournalTestsBuilds() {}
