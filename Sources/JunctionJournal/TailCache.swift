/// The most recent committed records, kept in memory so followers and feed readers near the
/// head of the log never touch the disk. Bounded by payload bytes.
struct TailCache: Sendable {
  private(set) var records: [JournalRecord] = []
  private var head = 0
  private var bytes = 0
  let capacityBytes: Int
  /// Sequence the next appended record will have.
  private(set) var nextSequence: UInt64

  init(capacityBytes: Int, nextSequence: UInt64) {
    self.capacityBytes = capacityBytes
    self.nextSequence = nextSequence
  }

  /// Oldest sequence held, or `nextSequence` when empty.
  var firstSequence: UInt64 { nextSequence - UInt64(records.count - head) }

  /// What an evicted slot holds until the compaction: nothing to release.
  private static let evicted = JournalRecord(sequence: 0, streams: [], payload: [])

  mutating func append(_ batch: [JournalRecord]) {
    for var record in batch {
      record.context = nil
      bytes += record.payload.count + 64
      records.append(record)
    }
    nextSequence += UInt64(batch.count)
    while bytes > capacityBytes && head < records.count {
      bytes -= records[head].payload.count + 64
      // Released now, one or two per appended record: dropping tens of thousands at the
      // compaction below filled malloc's free lists in one go, and the next allocations on
      // the event loops spent milliseconds sorting them (the p99 of ingest).
      records[head] = Self.evicted
      head += 1
    }
    if head > 4096 && head * 2 > records.count {
      records.removeFirst(head)
      head = 0
    }
  }

  /// Up to `limit` records after `sequence`, if the cache holds the one right after it.
  func read(after sequence: UInt64, limit: Int) -> [JournalRecord]? {
    guard sequence + 1 >= firstSequence else { return nil }
    guard sequence + 1 < nextSequence else { return [] }
    let start = head + Int(sequence + 1 - firstSequence)
    return Array(records[start..<min(records.count, start + limit)])
  }
}
