import Testing

@Test func JunctionMIMETestsBuilds() {}
