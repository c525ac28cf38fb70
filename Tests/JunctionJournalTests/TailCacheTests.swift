import Testing

@testable import JunctionJournal

@Suite struct TailCacheTests {
  /// The address of an array's storage.
  private func storage(_ bytes: [UInt8]) -> UInt {
    bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
  }

  @Test func keepsTheNewestRecordsWithinItsBytesAndReadsThemBack() {
    var cache = TailCache(capacityBytes: 3 * (100 + 64), nextSequence: 1)
    for sequence in 1...10 {
      cache.append([
        JournalRecord(
          sequence: UInt64(sequence), streams: ["s"], payload: [UInt8](repeating: 1, count: 100))
      ])
    }
    #expect(cache.firstSequence == 8 && cache.nextSequence == 11)
    #expect(cache.read(after: 6, limit: 10) == nil)
    #expect(cache.read(after: 7, limit: 10)?.map(\.sequence) == [8, 9, 10])
    #expect(cache.read(after: 8, limit: 1)?.map(\.sequence) == [9])
    #expect(cache.read(after: 10, limit: 10)?.isEmpty == true)
  }

  @Test func anEvictedRecordIsReleasedAtOnceNotAtTheNextCompaction() {
    // Releasing evicted records thousands at a time stalled the event loops' allocations.
    var cache = TailCache(capacityBytes: 100 + 64, nextSequence: 1)
    var payload = [UInt8](repeating: 7, count: 100)
    let before = storage(payload)
    cache.append([JournalRecord(sequence: 1, streams: ["s"], payload: payload)])
    cache.append([
      JournalRecord(sequence: 2, streams: ["s"], payload: [UInt8](repeating: 0, count: 100))
    ])
    #expect(cache.firstSequence == 2)
    // Written in place only when nobody else holds the storage any more.
    payload[0] = 8
    #expect(storage(payload) == before)
  }
}
