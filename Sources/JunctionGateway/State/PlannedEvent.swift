import JunctionJournal
import JunctionModel

/// One event a command will append: its stored bytes, its streams and what it changes.
struct PlannedEvent: Sendable {
  var bytes: [UInt8]
  var streams: [String]
  var applied: AppliedEvent

  /// An event of `type` whose `data` member is written by `data` (no intermediate JSON tree).
  init(
    _ type: String, at: Timestamp, conversationId: String? = nil, streams: [String],
    change: StateChange, data: (inout JSONWriter) -> Void
  ) {
    bytes = Event.storedBytes(
      id: Identifier.make("evt", at: at.date), type: type, at: at,
      conversationId: conversationId, data: data)
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
