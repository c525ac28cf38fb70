import Testing

@Test func JunctionDeliveryTestsBuilds() {}
