import JunctionJournal
import JunctionModel

/// One event a command will append: its stored bytes, its streams and what it changes.
struct PlannedEvent: Sendable {
  /// The stored bytes, or how to write them.
  private enum Payload: Sendable {
    case written([UInt8])
    case deferred(@Sendable () -> [UInt8])
  }

  private var payload: Payload
  var streams: [String]
  var applied: AppliedEvent

  /// The event's stored bytes (written now when they were deferred).
  var bytes: [UInt8] {
    switch payload {
    case .written(let bytes): return bytes
    case .deferred(let write): return write()
    }
  }

  /// An event of `type` whose `data` member is written by `data` (no intermediate JSON tree).
  init(
    _ type: String, at: Timestamp, conversationId: String? = nil, streams: [String],
    change: StateChange, data: (inout JSONWriter) -> Void
  ) {
    payload = .written(
      Event.storedBytes(
        id: Identifier.make("evt", at: at.date), type: type, at: at,
        conversationId: conversationId, data: data))
    self.streams = streams
    applied = AppliedEvent(change: change, conversationId: conversationId, at: at)
  }

  /// An event whose bytes are written only when its ``entry`` is taken — after the plan, outside
  /// the state lock (``StateWriter``), so the lock every request and every commit needs is not
  /// held while JSON is written. `data` must capture values only.
  init(
    deferred type: String, at: Timestamp, conversationId: String? = nil, streams: [String],
    change: StateChange, data: @escaping @Sendable (inout JSONWriter) -> Void
  ) {
    let id = Identifier.make("evt", at: at.date)
    payload = .deferred {
      Event.storedBytes(id: id, type: type, at: at, conversationId: conversationId, data: data)
    }
    self.streams = streams
    applied = AppliedEvent(change: change, conversationId: conversationId, at: at)
  }

  /// An event whose `data` is a JSON value.
  init(
    _ type: String, at: Timestamp, conversationId: String? = nil, streams: [String],
    change: StateChange, json: JSON
  ) {
    self.init(
      type, at: at, conversationId: conversationId, streams: streams, change: change
    ) { $0.write(json) }
  }

  /// The journal entry to append.
  var entry: JournalEntry { JournalEntry(streams: streams, payload: bytes, context: applied) }
}
