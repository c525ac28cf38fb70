import JunctionChannels
import JunctionModel

extension WhatsAppAdapter {
  /// Parses a `messages` webhook into items: every `messages[]` entry of every change (a batch
  /// gives several), and every `statuses[]` entry as a delivery status. Changes of other
  /// fields (`account_update`, template reviews …), `system` messages and changes for another
  /// business number than `phone_number_id` carry nothing for this channel.
  func parseWebhook(_ json: JSON) throws(FieldError) -> [InboundItem] {
    let root = try FieldReader(json)
    let object = try root.string("object")
    guard object == "whatsapp_business_account" else {
      throw FieldError(
        path: "object", message: "expected \"whatsapp_business_account\", found \"\(object)\"")
    }
    var items: [InboundItem] = []
    for entry in try root.objects("entry") {
      for change in try entry.objects("changes") {
        guard try change.optionalString("field") ?? "messages" == "messages" else { continue }
        let value = try change.object("value")
        if let number = try value.optionalObject("metadata")?.optionalIdentifier("phone_number_id"),
          number != phoneNumberId
        {
          continue
        }
        var names: [String: String] = [:]
        for contact in try value.objects("contacts") {
          if let waId = try contact.optionalIdentifier("wa_id"),
            let name = try contact.optionalObject("profile")?.optionalString("name")
          {
            names[waId] = name
          }
        }
        for message in try value.objects("messages") {
          if let item = try Self.parseMessage(message, names: names) { items.append(item) }
        }
        for status in try value.objects("statuses") {
          if let item = try Self.parseStatus(status) { items.append(item) }
        }
      }
    }
    return items
  }

  /// One `messages[]` entry; nil for what is not a customer message (`system` notices, a
  /// reaction being removed).
  static func parseMessage(_ message: FieldReader, names: [String: String]) throws(FieldError)
    -> InboundItem?
  {
    let type = try message.optionalString("type") ?? "unknown"
    guard type != "system" else { return nil }
    let id = try message.nonEmptyString("id")
    let from = try message.optionalIdentifier("from") ?? ""
    guard !from.isEmpty else {
      throw FieldError(path: message.path("from"), message: "is required")
    }
    guard var content = try WhatsAppContent(message, type: type) else { return nil }
    if let context = try message.optionalObject("context") {
      if content.replyTo == nil { content.replyTo = try context.optionalString("id") }
      let forwarded = try context.optionalBool("forwarded") ?? false
      let often = try context.optionalBool("frequently_forwarded") ?? false
      if forwarded || often { content.details["forwarded"] = true }
      if let product = context.value("referred_product") {
        content.details["referred_product"] = product
      }
    }
    if let referral = message.value("referral") { content.details["referral"] = referral }
    let sender = SenderProfile(
      externalId: from, name: names[from], phone: e164(waId: from),
      attributes: ["wa_id": .string(from)])
    return .message(
      InboundMessage(
        providerMessageId: id, sender: sender, text: content.text,
        attachments: content.attachments, sentAt: try timestamp(message),
        replyToProviderId: content.replyTo, details: content.details))
  }

  /// One `statuses[]` entry: `sent`, `delivered`, `read` (and `played` for voice messages, as
  /// read) or `failed` with the first of `errors[]`; other values are not statuses Junction
  /// tracks.
  static func parseStatus(_ status: FieldReader) throws(FieldError) -> InboundItem? {
    let id = try status.nonEmptyString("id")
    let value = try status.string("status")
    let delivery: DeliveryStatus
    switch value {
    case "sent": delivery = .sent
    case "delivered": delivery = .delivered
    case "read", "played": delivery = .read
    case "failed": delivery = .failed
    default: return nil
    }
    var error: JSON?
    if delivery == .failed {
      let graph = try status.array("errors").first.map(MetaGraphError.init)
      error = failureJSON(graph)
    }
    return .status(
      DeliveryStatusUpdate(
        providerMessageId: id, status: delivery, error: error, at: try timestamp(status),
        dedupeKey: "\(id):\(value)"))
  }

  /// What `message.failed` carries for a failed status: Junction's code, WhatsApp's text and
  /// code, and for 131047 what the agent can do about it.
  static func failureJSON(_ graph: MetaGraphError?) -> JSON {
    guard let graph else {
      return ProviderError(code: "whatsapp_error", message: "WhatsApp reported the message failed")
        .json
    }
    let code = graph.code.map(errorCode) ?? "whatsapp_error"
    guard case .object(var object) = graph.providerError(code, httpStatus: nil).json else {
      return .null
    }
    if graph.code == 131047 {
      object["note"] = .string(reengagementNote)
    }
    return .object(object)
  }

  /// Explains error 131047 to agents.
  static let reengagementNote =
    "More than 24 hours have passed since the customer last wrote: WhatsApp only delivers an "
    + "approved template until they write again (configure settings.template to send one)."

  /// `timestamp` (Unix seconds as a string) as a ``Timestamp``.
  static func timestamp(_ reader: FieldReader) throws(FieldError) -> Timestamp? {
    guard let text = try reader.optionalIdentifier("timestamp") else { return nil }
    guard let seconds = Int64(text) else {
      throw FieldError(path: reader.path("timestamp"), message: "expected Unix seconds")
    }
    return Timestamp(unixSeconds: seconds)
  }

  /// `+<wa_id>` when the WhatsApp id is a phone number (digits, 7–15 of them), else nil.
  static func e164(waId: String) -> String? {
    guard (7...15).contains(waId.utf8.count),
      waId.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    return "+" + waId
  }
}
