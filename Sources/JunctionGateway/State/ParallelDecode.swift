import Dispatch
import Foundation
import JunctionJournal

/// Decodes the changes of many journal records on every core, in order. Catching up at start
/// hands thousands of stored records to ``StateStore/apply(_:)`` at once; live batches are
/// small and decoded on the calling thread.
final class ParallelDecode: @unchecked Sendable {
  /// Below this many records per chunk, threads cost more than they save.
  static let minimumChunk = 512
  static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// `StateStore.change(of:)` of every record, in order.
  static func changes(of records: [JournalRecord]) -> [AppliedEvent] {
    let chunks = min(cores * 2, records.count / minimumChunk)
    guard chunks > 1 else { return records.map(StateStore.change(of:)) }
    let job = ParallelDecode(records, chunks: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { job.run(chunk: $0) }
    return job.results.map {
      $0 ?? AppliedEvent(change: .none, conversationId: nil, at: .init(millis: 0))
    }
  }

  // Each chunk writes only its own slots, and `concurrentPerform` returns before they are
  // read: no slot is shared, hence the unchecked `Sendable`.
  private let records: [JournalRecord]
  private let chunks: Int
  private let slots: UnsafeMutableBufferPointer<AppliedEvent?>

  private init(_ records: [JournalRecord], chunks: Int) {
    self.records = records
    self.chunks = chunks
    slots = .allocate(capacity: records.count)
    slots.initialize(repeating: nil)
  }

  private func run(chunk: Int) {
    let size = (records.count + chunks - 1) / chunks
    let start = chunk * size
    let end = min(records.count, start + size)
    guard start < end else { return }
    for index in start..<end { slots[index] = StateStore.change(of: records[index]) }
  }

  private var results: UnsafeMutableBufferPointer<AppliedEvent?> { slots }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
}
