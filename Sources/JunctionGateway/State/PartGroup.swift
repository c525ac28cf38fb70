import JunctionChannels
import JunctionModel

/// The parts of one concatenated message received so far (an SMS split by the network).
public struct PartGroup: Sendable, Equatable {
  /// One received part.
  public struct Part: Sendable, Equatable {
    public var index: Int
    public var providerMessageId: String
    public var text: String?
    public var sentAt: Timestamp?
  }

  /// Who sent the parts and on which thread: what the joined message is recorded with.
  public struct Origin: Sendable, Equatable {
    public var channel: String
    public var reference: String
    public var sender: SenderProfile
    public var threadKey: String?
  }

  public var total: Int
  /// When the first part arrived (the timeout counts from it).
  public var firstAt: Timestamp
  public var origin: Origin
  public var parts: [Int: Part] = [:]

  /// The group key of a part.
  static func key(channel: String, sender: String, reference: String) -> String {
    "\(channel)\u{1F}\(sender)\u{1F}\(reference)"
  }

  /// The whole message from the parts received, in part order; `aliases` are the parts'
  /// provider ids.
  func joined() -> (message: InboundMessage, aliases: [String], missing: [Int]) {
    let ordered = parts.keys.sorted().compactMap { parts[$0] }
    let text = ordered.compactMap(\.text).joined()
    let missing = (1...max(1, total)).filter { parts[$0] == nil }
    var details: JSONObject = [
      "concatenated": [
        "reference": .string(origin.reference), "parts": .int(Int64(total)),
        "received": .int(Int64(ordered.count)),
      ]
    ]
    details["part_ids"] = .array(ordered.map { .string($0.providerMessageId) })
    if !missing.isEmpty { details["missing_parts"] = .array(missing.map { .int(Int64($0)) }) }
    let message = InboundMessage(
      providerMessageId: ordered.first?.providerMessageId ?? origin.reference,
      sender: origin.sender, threadKey: origin.threadKey, text: text.isEmpty ? nil : text,
      sentAt: ordered.first?.sentAt, details: details)
    return (message, ordered.dropFirst().map(\.providerMessageId), missing)
  }

  /// The `message.part_received` data.
  static func json(group: String, part: Part, total: Int, origin: Origin) -> JSON {
    var sender: JSONObject = ["external_id": .string(origin.sender.externalId)]
    sender["name"] = .optional(origin.sender.name)
    sender["phone"] = .optional(origin.sender.phone)
    return [
      "group": .string(group), "channel": .string(origin.channel),
      "reference": .string(origin.reference), "index": .int(Int64(part.index)),
      "total": .int(Int64(total)), "provider_message_id": .string(part.providerMessageId),
      "text": .optional(part.text), "sent_at": part.sentAt.map(\.json) ?? .null,
      "sender": .object(sender), "thread_key": .optional(origin.threadKey),
    ]
  }

  /// Reads `message.part_received` data back.
  static func decode(_ data: FieldReader) throws(FieldError) -> (String, Part, Int, Origin) {
    let sender = try data.object("sender")
    let origin = Origin(
      channel: try data.string("channel"), reference: try data.string("reference"),
      sender: SenderProfile(
        externalId: try sender.string("external_id"), name: try sender.optionalString("name"),
        phone: try sender.optionalString("phone")),
      threadKey: try data.optionalString("thread_key"))
    let part = Part(
      index: Int(try data.int("index")),
      providerMessageId: try data.string("provider_message_id"),
      text: try data.optionalString("text"), sentAt: try data.optionalTimestamp("sent_at"))
    return (try data.string("group"), part, Int(try data.int("total")), origin)
  }
}
