import JunctionChannels
import JunctionModel

/// `client_info.lang_id` → language code (VK's `lang` parameter values).
private let vkLanguages = ["ru", "uk", "be", "en", "es", "fi", "de", "it"]

extension VKAdapter {
  /// Peer ids from this value up are group chats (`2000000000 + chat_id`).
  static let chatPeerBase: Int64 = 2_000_000_000

  /// The items of a verified event: `message_new` → a message, `message_edit` → an edit;
  /// nothing for the community's own messages (`message_reply`, `out: 1`), chat service
  /// messages (`action`) and every other event type.
  static func items(from json: JSON) throws(FieldError) -> [InboundItem] {
    let event = try FieldReader(json)
    let eventId = try event.optionalString("event_id")
    switch try event.optionalString("type") {
    case "message_new":
      let object = try event.object("object")
      // API ≥ 5.103 wraps the message; older versions put its fields in `object` itself.
      var message = object
      if let wrapped = try object.optionalObject("message") { message = wrapped }
      let clientInfo = try object.optionalObject("client_info")
      guard let parsed = try parseMessage(message, clientInfo: clientInfo) else { return [] }
      return [.message(parsed)]
    case "message_edit":
      let message = try event.object("object")
      guard let parsed = try parseMessage(message, clientInfo: nil) else { return [] }
      let updated = try message.optionalInt("update_time")
      let editId =
        eventId ?? "\(parsed.providerMessageId):\(updated.map { String($0) } ?? "edit")"
      return [
        .edit(
          InboundEdit(
            providerMessageId: parsed.providerMessageId, editId: editId, sender: parsed.sender,
            threadKey: parsed.threadKey, text: parsed.text,
            editedAt: updated.map { Timestamp(unixSeconds: $0) }))
      ]
    default:
      return []
    }
  }

  /// A customer's message, or nil for the community's own (`from_id` < 0 or `out` = 1) and
  /// for chat service messages.
  ///
  /// The provider id is `"{peer_id}:{conversation_message_id}"`: the same in every retry of
  /// the event (and in its later `message_edit`), unlike `event_id`, and unlike `id` never 0
  /// in group chats. Replies name the quoted message the same way.
  static func parseMessage(_ m: FieldReader, clientInfo: FieldReader?) throws(FieldError)
    -> InboundMessage?
  {
    let peer = try m.int("peer_id")
    let from = try m.int("from_id")
    let outgoing = try m.optionalInt("out") == 1
    if from <= 0 || outgoing { return nil }
    if try m.optionalObject("action") != nil { return nil }
    let providerId = try messageKey(m, peer: peer)

    var details: JSONObject = [
      "peer_id": .int(peer), "chat_type": .string(peer >= chatPeerBase ? "chat" : "private"),
    ]
    let forwarded = try m.array("fwd_messages")
    if !forwarded.isEmpty { details["forwarded_messages"] = .int(Int64(forwarded.count)) }
    if let payload = try m.optionalString("payload") { details["payload"] = .string(payload) }

    var attachments = try attachments(of: m)
    if let geo = try m.optionalObject("geo") { attachments.append(try location(geo)) }
    let replyTo = try m.optionalObject("reply_message").map { reply throws(FieldError) in
      try messageKey(reply, peer: try reply.optionalInt("peer_id") ?? peer)
    }
    let text = try m.optionalString("text") ?? ""
    let language = try clientInfo?.optionalInt("lang_id").flatMap { id in
      vkLanguages.indices.contains(Int(id)) ? vkLanguages[Int(id)] : nil
    }
    return InboundMessage(
      providerMessageId: providerId,
      sender: SenderProfile(
        externalId: String(from), language: language,
        attributes: ["profile_url": .string("https://vk.com/id\(from)")]),
      threadKey: peer >= chatPeerBase ? String(peer) : nil,
      text: text.isEmpty ? nil : text, attachments: attachments,
      sentAt: try m.optionalInt("date").map { Timestamp(unixSeconds: $0) },
      replyToProviderId: replyTo, details: details)
  }

  /// `"{peer_id}:{conversation_message_id}"`, or `"{peer_id}:id{id}"` when the message has no
  /// conversation message id (never seen from API 5.103 on).
  static func messageKey(_ m: FieldReader, peer: Int64) throws(FieldError) -> String {
    if let cmid = try m.optionalInt("conversation_message_id"), cmid > 0 {
      return "\(peer):\(cmid)"
    }
    if let id = try m.optionalInt("id"), id > 0 { return "\(peer):id\(id)" }
    throw FieldError(path: m.path("conversation_message_id"), message: "is required")
  }
}
