import JunctionChannels
import JunctionModel

/// Content a customer can send that Junction records without a normalised form: the message
/// is kept (so nothing is dropped silently) with `details.unsupported` naming what it was.
private let unsupportedContent = [
  "poll", "dice", "game", "story", "invoice", "giveaway", "paid_media", "checklist",
]

extension TelegramAdapter {
  /// The items one `Update` carries: a message, an edit, or nothing (channel posts, callback
  /// queries, member updates, service messages and the bot's own messages are acknowledged
  /// and not stored).
  static func items(from json: JSON, botId: String) throws(FieldError) -> [InboundItem] {
    let update = try FieldReader(json)
    let updateId = try update.int("update_id")
    if let message = try update.optionalObject("message") {
      guard let parsed = try parseMessage(message, updateId: updateId, botId: botId) else {
        return []
      }
      return [.message(parsed)]
    }
    if let edited = try update.optionalObject("edited_message") {
      guard let parsed = try parseMessage(edited, updateId: updateId, botId: botId) else {
        return []
      }
      let editDate = try edited.optionalInt("edit_date")
      return [
        .edit(
          InboundEdit(
            providerMessageId: parsed.providerMessageId, editId: String(updateId),
            sender: parsed.sender, threadKey: parsed.threadKey, text: parsed.text,
            editedAt: editDate.map { Timestamp(unixSeconds: $0) }))
      ]
    }
    return []
  }

  /// The message `m`, or nil when it is not a customer's message (the bot's own or another
  /// bot's, a service message such as `new_chat_members` or `pinned_message`).
  static func parseMessage(_ m: FieldReader, updateId: Int64, botId: String) throws(FieldError)
    -> InboundMessage?
  {
    let messageId = try m.int("message_id")
    let chat = try m.object("chat")
    let chatId = try chat.int("id")
    let chatType = try chat.optionalString("type") ?? "private"
    // A post of the group's linked channel, copied into the group by Telegram.
    if try m.optionalBool("is_automatic_forward") == true { return nil }
    guard let sender = try sender(of: m, botId: botId) else { return nil }

    let attachments = try attachments(of: m)
    let caption = try m.optionalString("caption")
    let text = try m.optionalString("text") ?? caption
    var details: JSONObject = [
      "chat_type": .string(chatType), "update_id": .int(updateId),
    ]
    if let title = try chat.optionalString("title") { details["chat_title"] = .string(title) }
    if let group = try m.optionalString("media_group_id") {
      details["media_group_id"] = .string(group)
    }
    if try m.optionalObject("forward_origin") != nil { details["forwarded"] = true }
    if (text ?? "").isEmpty && attachments.isEmpty {
      guard let kind = unsupportedContent.first(where: { m.value($0) != nil }) else {
        return nil
      }
      details["unsupported"] = .string(kind)
    }
    let replyTo = try m.optionalObject("reply_to_message").map { reply throws(FieldError) in
      "\(chatId):\(try reply.int("message_id"))"
    }
    return InboundMessage(
      providerMessageId: "\(chatId):\(messageId)", sender: sender,
      threadKey: chatType == "private" ? nil : String(chatId),
      text: (text ?? "").isEmpty ? nil : text, attachments: attachments,
      sentAt: try m.optionalInt("date").map { Timestamp(unixSeconds: $0) },
      replyToProviderId: replyTo, details: details)
  }

  /// Who wrote `m`: a chat posting on its own behalf (`sender_chat`: an anonymous group admin,
  /// a linked channel), else the `from` user; nil for bots, including this one.
  static func sender(of m: FieldReader, botId: String) throws(FieldError) -> SenderProfile? {
    if let senderChat = try m.optionalObject("sender_chat") {
      let id = try senderChat.int("id")
      var attributes = JSONObject()
      if let username = try senderChat.optionalString("username") {
        attributes["username"] = .string(username)
      }
      return SenderProfile(
        externalId: String(id), name: try senderChat.optionalString("title"),
        attributes: attributes)
    }
    guard let from = try m.optionalObject("from") else { return nil }
    let id = try from.int("id")
    if try from.optionalBool("is_bot") == true || String(id) == botId { return nil }
    let first = try from.optionalString("first_name") ?? ""
    let last = try from.optionalString("last_name") ?? ""
    let username = try from.optionalString("username")
    let fullName = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
    var attributes = JSONObject()
    if let username { attributes["username"] = .string(username) }
    if try from.optionalBool("is_premium") == true { attributes["premium"] = true }
    return SenderProfile(
      externalId: String(id), name: fullName.isEmpty ? username : fullName,
      language: try from.optionalString("language_code"), attributes: attributes)
  }
}
