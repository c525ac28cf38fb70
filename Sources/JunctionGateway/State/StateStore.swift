import JunctionJournal
import JunctionModel
import Synchronization

/// Holds the live ``GatewayState`` and keeps it in step with the journal.
///
/// The journal calls ``apply(_:)`` on its writer thread for every committed batch, before the
/// appenders' completions run, so anyone told "your write is durable" (or "you conflicted")
/// reads a state that already contains it. Readers take the lock briefly.
public final class StateStore: Sendable {
  private let state: Mutex<GatewayState>

  public init(_ initial: GatewayState = GatewayState()) {
    state = Mutex(initial)
  }

  /// Runs `body` with the current state under the lock. Keep it short: no I/O.
  public func read<T>(_ body: (borrowing GatewayState) -> T) -> T {
    state.withLock { body($0) }
  }

  /// A copy of the state (cheap: copy-on-write).
  public var current: GatewayState { state.withLock { $0 } }

  /// The last journal sequence number applied.
  public var lastSequence: UInt64 { state.withLock { $0.lastSequence } }

  /// Applies committed records in order. Records carry the decoded ``Event`` as their context
  /// when they were appended by this process; others are parsed.
  public func apply(_ records: [JournalRecord]) {
    let events = records.map { record -> (Event, [String])? in
      if let event = record.context as? Event {
        var event = event
        event.offset = record.sequence
        return (event, record.streams)
      }
      guard let event = try? Event(storedBytes: record.payload, offset: record.sequence) else {
        return nil
      }
      return (event, record.streams)
    }
    state.withLock { state in
      for (index, item) in events.enumerated() {
        if let (event, streams) = item {
          state.apply(event, streams: streams)
        } else {
          // Unreadable payload: keep versions and position exact all the same.
          for stream in records[index].streams { state.streamVersions[stream, default: 0] += 1 }
          state.lastSequence = max(state.lastSequence, records[index].sequence)
        }
      }
    }
  }
}

/// The state captured for a journal snapshot; serialised off the writer thread.
struct StateSnapshot: JournalSnapshotState {
  let state: GatewayState
  func serialized() -> [UInt8] { state.snapshotBytes() }
}

extension StateStore: JournalSnapshotSource {
  public func captureSnapshot(at sequence: UInt64) -> any JournalSnapshotState {
    StateSnapshot(state: current)
  }
}
