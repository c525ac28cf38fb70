import JunctionChannels
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Why inbound items could not be stored; the provider gets a 503 and retries.
enum IngestError: Error, Sendable {
  /// The journal refused the write (disk full, I/O error, closed).
  case journal(JournalError)
  /// Kept conflicting with concurrent writes to the same thread.
  case contention
}

/// Stores inbound items durably: plan against current state, append conditionally, re-plan on
/// conflict. Completion runs once the items are durable (or definitely not written).
final class IngestService: Sendable {
  static let maxAttempts = 8

  let journal: any Journal
  let store: StateStore
  let clock: @Sendable () -> Timestamp
  let conflicts: Counter

  init(
    journal: any Journal, store: StateStore, metrics: MetricsRegistry,
    clock: @escaping @Sendable () -> Timestamp
  ) {
    self.journal = journal
    self.store = store
    self.clock = clock
    conflicts = metrics.counter(
      "junction_ingest_conflicts_total", help: "Inbound plans re-made after a concurrent write")
  }

  /// Journals `items` for `channel`; `completion` gets one outcome per item, on the journal's
  /// writer thread (or the caller's, when nothing needs writing).
  func ingest(
    _ items: [InboundItem], channel: String,
    completion: @escaping @Sendable (Result<[IngestOutcome], IngestError>) -> Void
  ) {
    attempt(items, channel: channel, number: 1, completion: completion)
  }

  private func attempt(
    _ items: [InboundItem], channel: String, number: Int,
    completion: @escaping @Sendable (Result<[IngestOutcome], IngestError>) -> Void
  ) {
    let now = clock()
    let plan = store.read { IngestPlanner.plan(items, channel: channel, state: $0, now: now) }
    guard !plan.events.isEmpty else {
      completion(.success(plan.outcomes))
      return
    }
    let entries = plan.events.map { item in
      JournalEntry(streams: item.streams, payload: item.bytes, context: item.applied)
    }
    journal.append(entries, conditions: plan.conditions) { [self] result in
      switch result {
      case .success:
        completion(.success(plan.outcomes))
      case .failure(.conflict):
        conflicts.increment()
        if number < Self.maxAttempts {
          attempt(items, channel: channel, number: number + 1, completion: completion)
        } else {
          completion(.failure(.contention))
        }
      case .failure(let error):
        completion(.failure(.journal(error)))
      }
    }
  }
}
