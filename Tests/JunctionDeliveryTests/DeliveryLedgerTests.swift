import JunctionDelivery
import Testing

@Suite struct DeliveryLedgerTests {
  @Test func outcomesFoldIntoProgress() {
    var ledger = DeliveryLedger()
    ledger.apply(
      .failed(
        subscription: "s", epoch: 0, offset: 5, attempts: 1, nextAt: 100, error: "HTTP 500", at: 10)
    )
    #expect(ledger.progress["s"]?.retrying[5] == DeliveryLedger.Retry(attempts: 1, nextAt: 100))
    #expect(ledger.progress["s"]?.failingSince == 10)
    ledger.apply(.delivered(subscription: "s", epoch: 0, offset: 5, at: 120))
    #expect(ledger.progress["s"]?.retrying.isEmpty == true)
    #expect(ledger.progress["s"]?.finished == [5])
    #expect(ledger.progress["s"]?.failingSince == nil)
    ledger.apply(.floor(subscription: "s", epoch: 0, offset: 5))
    #expect(ledger.progress["s"]?.finished.isEmpty == true)
    #expect(ledger.progress["s"]?.floor == 5)
    // Below the floor nothing changes any more.
    ledger.apply(.delivered(subscription: "s", epoch: 0, offset: 3, at: 130))
    #expect(ledger.progress["s"]?.finished.isEmpty == true)
  }

  @Test func aReplayStartsANewEpochAndIgnoresOldRecords() {
    var ledger = DeliveryLedger()
    ledger.apply(.delivered(subscription: "s", epoch: 0, offset: 9, at: 1))
    ledger.apply(.replay(subscription: "s", epoch: 50, after: 0))
    #expect(ledger.progress["s"]?.floor == 0)
    #expect(ledger.progress["s"]?.finished.isEmpty == true)
    ledger.apply(.delivered(subscription: "s", epoch: 0, offset: 10, at: 2))
    #expect(ledger.progress["s"]?.finished.isEmpty == true)
    ledger.apply(.delivered(subscription: "s", epoch: 50, offset: 10, at: 3))
    #expect(ledger.progress["s"]?.finished == [10])
    #expect(ledger.progress["s"]?.delivered == 2)
  }

  @Test func recordsAndSnapshotsRoundTrip() throws {
    let records: [DeliveryLedger.Record] = [
      .delivered(subscription: "a", epoch: 0, offset: 1, at: 5),
      .failed(
        subscription: "a", epoch: 0, offset: 2, attempts: 3, nextAt: 99, error: "timeout", at: 6),
      .gaveUp(subscription: "b", epoch: 7, offset: 8, error: "HTTP 410", at: 9),
      .floor(subscription: "a", epoch: 0, offset: 1),
      .replay(subscription: "b", epoch: 7, after: 3),
      .removed(subscription: "c"), .enabled(subscription: "a"),
    ]
    var ledger = DeliveryLedger()
    for record in records {
      #expect(DeliveryLedger.Record(bytes: record.encoded()) == record)
      ledger.apply(record)
    }
    let restored = try #require(DeliveryLedger(snapshotBytes: ledger.snapshotBytes()))
    #expect(restored.progress == ledger.progress)
    #expect(DeliveryLedger.Record(bytes: Array("{\"s\":1}".utf8)) == nil)
    #expect(DeliveryLedger(snapshotBytes: Array("[]".utf8)) == nil)
  }
}
