import JunctionHTTP
import JunctionJournal
import JunctionModel
import JunctionSystem

/// What a command will append if the state it read is still current, and its answer.
struct WritePlan<Outcome: Sendable>: Sendable {
  var events: [PlannedEvent] = []
  var conditions: [StreamCondition] = []
  var outcome: Outcome

  init(outcome: Outcome) { self.outcome = outcome }

  /// Requires `stream` to still be at the version `state` has for it.
  mutating func require(_ stream: String, in state: borrowing GatewayState) {
    guard !conditions.contains(where: { $0.stream == stream }) else { return }
    conditions.append(StreamCondition(stream: stream, expectedVersion: state.version(of: stream)))
  }
}

/// Why a command wrote nothing.
enum CommandFailure: Error, Sendable {
  /// The request is wrong or not allowed in the current state (the response says why).
  case rejected(HTTPResponse)
  /// The journal refused the write (disk full, I/O error, closed).
  case journal(JournalError)
  /// Kept conflicting with concurrent writes.
  case contention

  /// The HTTP answer for this failure.
  var response: HTTPResponse {
    switch self {
    case .rejected(let response):
      return response
    case .journal(let error):
      var response = HTTPResponse.error(
        503, code: "journal_unavailable", message: "not stored, try again: \(error)")
      response.headers.add("Retry-After", "5")
      return response
    case .contention:
      var response = HTTPResponse.error(
        503, code: "busy", message: "too many concurrent writes to this conversation, try again")
      response.headers.add("Retry-After", "1")
      return response
    }
  }
}

/// Runs commands against the state: plan on the current state, append the plan's events only
/// if the streams it read have not moved, and re-plan on conflict. The completion runs once
/// the events are durable (and applied to the state), or definitely not written.
final class StateWriter: Sendable {
  static let maxAttempts = 8

  let journal: any Journal
  let store: StateStore
  let clock: @Sendable () -> Timestamp
  private let conflicts: Counter

  init(
    journal: any Journal, store: StateStore, metrics: MetricsRegistry,
    clock: @escaping @Sendable () -> Timestamp
  ) {
    self.journal = journal
    self.store = store
    self.clock = clock
    conflicts = metrics.counter(
      "junction_command_conflicts_total", help: "Command plans re-made after a concurrent write")
  }

  /// Plans with `plan` (called under the state lock: no I/O) and appends. `completion` runs on
  /// the journal's writer thread, or on the caller's when there is nothing to write.
  func write<Outcome: Sendable>(
    _ plan:
      @escaping @Sendable (borrowing GatewayState, Timestamp) -> Result<
        WritePlan<Outcome>, CommandFailure
      >,
    completion: @escaping @Sendable (Result<Outcome, CommandFailure>) -> Void
  ) {
    attempt(plan, number: 1, completion: completion)
  }

  private func attempt<Outcome: Sendable>(
    _ plan:
      @escaping @Sendable (borrowing GatewayState, Timestamp) -> Result<
        WritePlan<Outcome>, CommandFailure
      >,
    number: Int,
    completion: @escaping @Sendable (Result<Outcome, CommandFailure>) -> Void
  ) {
    let now = clock()
    let planned = store.read { plan($0, now) }
    let written: WritePlan<Outcome>
    switch planned {
    case .failure(let failure):
      completion(.failure(failure))
      return
    case .success(let result):
      written = result
    }
    guard !written.events.isEmpty else {
      completion(.success(written.outcome))
      return
    }
    // The completion keeps only the outcome: the plan's events (their deferred writers hold the
    // message and contact) are released here on the caller's thread, which allocated them,
    // instead of on the journal's writer after the commit.
    let outcome = written.outcome
    journal.append(written.events.map(\.entry), conditions: written.conditions) { [self] result in
      switch result {
      case .success:
        completion(.success(outcome))
      case .failure(.conflict):
        conflicts.increment()
        if number < Self.maxAttempts {
          attempt(plan, number: number + 1, completion: completion)
        } else {
          completion(.failure(.contention))
        }
      case .failure(let error):
        completion(.failure(.journal(error)))
      }
    }
  }
}
