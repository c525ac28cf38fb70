import JunctionJournal
import JunctionModel
import JunctionSystem

/// Holds the live ``GatewayState`` and keeps it in step with the journal.
///
/// The journal calls ``apply(_:)`` on its writer thread for every committed batch, before the
/// appenders' completions run, so anyone told "your write is durable" (or "you conflicted")
/// reads a state that already contains it. Readers share the lock (both event loops plan at
/// once) and hold it briefly; only ``apply(_:)`` takes it alone.
public final class StateStore: Sendable {
  private let state: SharedLocked<GatewayState>

  public init(_ initial: GatewayState = GatewayState()) {
    state = SharedLocked(initial)
  }

  /// Runs `body` with the current state under the lock, shared with other readers. Keep it
  /// short: no I/O, and no call back into this store.
  public func read<T>(_ body: (borrowing GatewayState) -> T) -> T {
    state.read { body($0) }
  }

  /// A copy of the state (cheap: copy-on-write).
  public var current: GatewayState { state.read { copy $0 } }

  /// The last journal sequence number applied.
  public var lastSequence: UInt64 { state.read { $0.lastSequence } }

  /// Applies committed records in order. Records carry the decoded ``Event`` as their context
  /// when they were appended by this process; others are parsed.
  public func apply(_ records: [JournalRecord]) {
    // Decode outside the lock; live records carry their change already. Catching up at start
    // hands over thousands of stored records at once: they are parsed on every core.
    let changes = Self.changes(of: records)
    state.write { state in
      for (record, applied) in zip(records, changes) {
        state.apply(
          applied.change, offset: record.sequence, conversationId: applied.conversationId,
          at: applied.at,
          streams: record.streams)
      }
    }
  }
}

extension StateStore {
  /// Below this many records per chunk, threads cost more than they save.
  static let minimumDecodeChunk = 512

  /// ``change(of:)`` of every record, in order; on every core when there are many (catching
  /// up at start), on the calling thread for a live batch.
  static func changes(of records: [JournalRecord]) -> [AppliedEvent] {
    let chunks = min(availableCores * 2, records.count / minimumDecodeChunk)
    guard chunks > 1 else { return records.map(change(of:)) }
    return concurrentMap(count: records.count, chunks: chunks) { change(of: records[$0]) }
  }

  /// The change a record makes: its live context, or its stored event decoded.
  static func change(of record: JournalRecord) -> AppliedEvent {
    if let applied = record.context as? AppliedEvent { return applied }
    guard let event = try? Event(storedBytes: record.payload, offset: record.sequence) else {
      return AppliedEvent(change: .none, conversationId: nil, at: Timestamp(millis: 0))
    }
    return AppliedEvent(
      change: StateChange(event: event), conversationId: event.conversationId, at: event.at)
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
