import JunctionJournal
import JunctionModel

/// How far an IMAP poller has journaled a mailbox: the mailbox's `UIDVALIDITY` and the
/// highest UID whose message is in the journal.
///
/// Written as a `mailbox.advanced` event in the same journal batch as the messages it brought
/// (stream `mbx:<channel>`), so after a crash the cursor and the messages agree: nothing
/// journaled is fetched again, nothing fetched but unjournaled is skipped.
struct MailboxCursor: Sendable, Equatable {
  var uidValidity: UInt32
  var lastUID: UInt32
  /// The UIDs whose messages the batch that wrote this cursor journaled: the only ones that
  /// may still lack their post-action (`\Seen` or the move) after a crash.
  var uids: [UInt32] = []

  /// The journal stream of `channel`'s cursor.
  static func stream(channel: String) -> String { "mbx:\(channel)" }

  /// The `mailbox.advanced` event data.
  func json(channel: String, mailbox: String, skipped: [UInt32]) -> JSON {
    var object: JSONObject = [
      "channel": .string(channel), "mailbox": .string(mailbox),
      "uidvalidity": .int(Int64(uidValidity)), "last_uid": .int(Int64(lastUID)),
      "uids": .array(uids.map { .int(Int64($0)) }),
    ]
    if !skipped.isEmpty { object["skipped_uids"] = .array(skipped.map { .int(Int64($0)) }) }
    return .object(object)
  }

  /// Reads the data of a `mailbox.advanced` event.
  init?(json: JSON) {
    guard let validity = json["uidvalidity"]?.intValue, let last = json["last_uid"]?.intValue,
      let uidValidity = UInt32(exactly: validity), let lastUID = UInt32(exactly: last)
    else { return nil }
    self.uidValidity = uidValidity
    self.lastUID = lastUID
    uids =
      json["uids"]?.arrayValue?.compactMap { $0.intValue.flatMap { UInt32(exactly: $0) } } ?? []
  }

  init(uidValidity: UInt32, lastUID: UInt32, uids: [UInt32] = []) {
    self.uidValidity = uidValidity
    self.lastUID = lastUID
    self.uids = uids
  }

  /// The newest cursor of `channel` in the journal and the stream's version, read backwards
  /// from the tail in chunks (cursors are written with the mail, so the newest is usually
  /// near the end; a stream never written is known from its version without reading).
  static func load(channel: String, journal: any Journal, chunk: UInt64 = 4096)
    throws(JournalError) -> (cursor: MailboxCursor?, version: UInt64)
  {
    let stream = stream(channel: channel)
    let version = journal.version(of: stream)
    guard version > 0 else { return (nil, 0) }
    var end = journal.lastSequence
    while end > 0 {
      let start = end > chunk ? end - chunk : 0
      let records = try journal.read(after: start, limit: Int(end - start))
      for record in records.reversed() where record.streams.contains(stream) {
        guard let event = try? Event(storedBytes: record.payload, offset: record.sequence) else {
          continue
        }
        return (MailboxCursor(json: event.data), version)
      }
      end = start
    }
    return (nil, version)
  }
}
