import JunctionChannels
import JunctionModel

extension MessengerAdapter {
  /// Parses a `page` webhook: every `messaging[]` event of every entry (Meta batches entries).
  /// `standby` (another app owns the thread), echoes of the Page's own sends, handover,
  /// opt-in, referral and reaction events carry nothing for Junction; with `page_id` set,
  /// entries of other Pages are skipped.
  func parseWebhook(_ json: JSON) throws(FieldError) -> [InboundItem] {
    let root = try FieldReader(json)
    let object = try root.string("object")
    guard object == "page" else {
      throw FieldError(path: "object", message: "expected \"page\", found \"\(object)\"")
    }
    var items: [InboundItem] = []
    for entry in try root.objects("entry") {
      if let pageId, let entryPage = try entry.optionalIdentifier("id"), entryPage != pageId {
        continue
      }
      for event in try entry.objects("messaging") { items += try parseEvent(event) }
    }
    return items
  }

  /// One `messaging[]` event.
  func parseEvent(_ event: FieldReader) throws(FieldError) -> [InboundItem] {
    let handled = ["message", "message_edit", "delivery", "read", "postback"]
    guard handled.contains(where: { event.value($0) != nil }) else { return [] }
    let psid = try event.optionalObject("sender")?.optionalIdentifier("id") ?? ""
    guard !psid.isEmpty else {
      throw FieldError(path: event.path("sender.id"), message: "is required")
    }
    let at = try event.optionalInt("timestamp").map(Timestamp.init(millis:))
    let sender = SenderProfile(externalId: psid)
    if let message = try event.optionalObject("message") {
      if try message.optionalBool("is_echo") == true { return [] }
      return [.message(try Self.parseMessage(message, sender: sender, at: at))]
    }
    if let edit = try event.optionalObject("message_edit") {
      let mid = try edit.nonEmptyString("mid")
      let count = try edit.optionalIdentifier("num_edit") ?? at.map { String($0.millis) } ?? "0"
      return [
        .edit(
          InboundEdit(
            providerMessageId: mid, editId: "\(mid)#edit-\(count)", sender: sender,
            text: try edit.optionalString("text"), editedAt: at))
      ]
    }
    if let delivery = try event.optionalObject("delivery") {
      var mids = try delivery.strings("mids")
      let watermark = try delivery.optionalInt("watermark")
      if mids.isEmpty, let watermark { mids = ledger.sent(to: psid, upTo: watermark) }
      let reported = watermark.map(Timestamp.init(millis:)) ?? at
      return mids.map { Self.status($0, .delivered, at: reported) }
    }
    if let read = try event.optionalObject("read") {
      guard let watermark = try read.optionalInt("watermark") else { return [] }
      return ledger.sent(to: psid, upTo: watermark).map {
        Self.status($0, .read, at: Timestamp(millis: watermark))
      }
    }
    if let postback = try event.optionalObject("postback") {
      return [.message(try Self.parsePostback(postback, sender: sender, at: at))]
    }
    return []
  }

  static func status(_ mid: String, _ status: DeliveryStatus, at: Timestamp?) -> InboundItem {
    .status(
      DeliveryStatusUpdate(
        providerMessageId: mid, status: status, at: at, dedupeKey: "\(mid):\(status.rawValue)"))
  }

  /// A customer message: text, attachments, the message it replies to, a quick reply's
  /// payload.
  static func parseMessage(_ message: FieldReader, sender: SenderProfile, at: Timestamp?)
    throws(FieldError) -> InboundMessage
  {
    let mid = try message.nonEmptyString("mid")
    var details = JSONObject()
    if let payload = try message.optionalObject("quick_reply")?.optionalString("payload") {
      details["quick_reply_payload"] = .string(payload)
    }
    var attachments: [Attachment] = []
    var stickers: Set<String> = []
    for item in try message.objects("attachments") {
      let attachment = try MessengerAttachment.attachment(item)
      if attachment.kind == "sticker", let id = attachment.details["sticker_id"] {
        // During Meta's sticker transition one sticker arrives as `sticker` and `image`.
        if !stickers.insert(id.serializedString()).inserted { continue }
      }
      attachments.append(attachment)
    }
    var text = try message.optionalString("text")
    if (text ?? "").isEmpty && attachments.isEmpty {
      text = "[unsupported Messenger message]"
    }
    return InboundMessage(
      providerMessageId: mid, sender: sender, text: text, attachments: attachments, sentAt: at,
      replyToProviderId: try message.optionalObject("reply_to")?.optionalString("mid"),
      details: details)
  }

  /// A postback (a button the customer tapped): its title as text, payload in details. Its
  /// `mid` is the dedupe key; without one, the sender and timestamp are.
  static func parsePostback(_ postback: FieldReader, sender: SenderProfile, at: Timestamp?)
    throws(FieldError) -> InboundMessage
  {
    let title = try postback.optionalString("title")
    let payload = try postback.optionalString("payload")
    var details: JSONObject = ["postback": .object(postback.object)]
    if let referral = postback.value("referral") { details["referral"] = referral }
    let id =
      try postback.optionalString("mid")
      ?? "postback:\(sender.externalId):\(at.map { String($0.millis) } ?? payload ?? "")"
    return InboundMessage(
      providerMessageId: id, sender: sender,
      text: title ?? payload.map { "[button: \($0)]" } ?? "[button]", sentAt: at, details: details)
  }
}
