import JunctionChannels
import JunctionModel

extension TwilioAdapter {
  /// A verified webhook's items: a customer message, or a status callback of a reply.
  func parse(_ parameters: WebhookParameters) throws(FieldError) -> [InboundItem] {
    if let status = parameters.nonEmpty("MessageStatus"), status != "received",
      status != "receiving"
    {
      return try parseStatus(status, parameters).map { [.status($0)] } ?? []
    }
    return [.message(try parseMessage(parameters))]
  }

  /// An inbound SMS or MMS.
  func parseMessage(_ parameters: WebhookParameters) throws(FieldError) -> InboundMessage {
    guard
      let sid = parameters.nonEmpty("MessageSid") ?? parameters.nonEmpty("SmsMessageSid")
        ?? parameters.nonEmpty("SmsSid")
    else { throw FieldError(path: "MessageSid", message: "is required") }
    guard let from = parameters.nonEmpty("From") else {
      throw FieldError(path: "From", message: "is required")
    }
    let phone = PhoneNumber.e164(from, defaultCountry: sms.defaultCountry)
    var attributes = JSONObject()
    for (name, key) in [("FromCountry", "country"), ("FromState", "state"), ("FromCity", "city")] {
      if let value = parameters.nonEmpty(name) { attributes[key] = .string(value) }
    }
    let sender = SenderProfile(
      externalId: phone ?? from, name: parameters.nonEmpty("ProfileName"), phone: phone,
      attributes: attributes)
    let attachments = try media(parameters)
    let body = parameters["Body"] ?? ""
    var details: JSONObject = ["sms": SMSSegments(body).json]
    details["to"] = .optional(parameters.nonEmpty("To"))
    if let optOut = parameters.nonEmpty("OptOutType") { details["opt_out_type"] = .string(optOut) }
    return InboundMessage(
      providerMessageId: sid, sender: sender,
      text: body.isEmpty && !attachments.isEmpty ? nil : body, attachments: attachments,
      details: details)
  }

  /// MMS media: `NumMedia`, `MediaUrl{N}`, `MediaContentType{N}`.
  func media(_ parameters: WebhookParameters) throws(FieldError) -> [Attachment] {
    guard let countText = parameters.nonEmpty("NumMedia") else { return [] }
    guard let count = Int(countText), (0...10).contains(count) else {
      throw FieldError(path: "NumMedia", message: "expected 0 to 10")
    }
    var attachments: [Attachment] = []
    for index in 0..<count {
      guard let url = parameters.nonEmpty("MediaUrl\(index)") else {
        throw FieldError(path: "MediaUrl\(index)", message: "is required when NumMedia is \(count)")
      }
      let type = parameters.nonEmpty("MediaContentType\(index)")
      attachments.append(
        Attachment(
          kind: Self.kind(ofContentType: type), url: url, contentType: type,
          providerFileId: url.split(separator: "/").last.map(String.init)))
    }
    return attachments
  }

  /// A status callback of an outbound message; nil for statuses Junction does not track
  /// (queued, sending, accepted, scheduled …).
  func parseStatus(_ status: String, _ parameters: WebhookParameters) throws(FieldError)
    -> DeliveryStatusUpdate?
  {
    guard let sid = parameters.nonEmpty("MessageSid") ?? parameters.nonEmpty("SmsSid") else {
      throw FieldError(path: "MessageSid", message: "is required")
    }
    let mapped: DeliveryStatus
    switch status {
    case "sent": mapped = .sent
    case "delivered": mapped = .delivered
    case "read": mapped = .read
    case "undelivered", "failed", "canceled": mapped = .failed
    default: return nil
    }
    var error: JSON?
    if mapped == .failed {
      let code = parameters.nonEmpty("ErrorCode")
      var object: JSONObject = [
        "code": .string(status),
        "message": .string(code.flatMap { TwilioErrors.describe($0) } ?? "message \(status)"),
      ]
      if let code {
        object["provider_code"] = .string(code)
        if TwilioErrors.optedOut.contains(code) { object["opted_out"] = true }
        if TwilioErrors.unreachable.contains(code) { object["unreachable"] = true }
      }
      error = .object(object)
    }
    return DeliveryStatusUpdate(
      providerMessageId: sid, status: mapped, error: error, dedupeKey: "\(sid):\(status)")
  }

  /// Junction's attachment kind for a MIME type.
  static func kind(ofContentType type: String?) -> String {
    let lowered = type?.lowercased() ?? ""
    for kind in ["image", "video", "audio"] where lowered.hasPrefix(kind + "/") { return kind }
    if lowered.hasPrefix("text/vcard") || lowered.hasPrefix("text/x-vcard") { return "contact" }
    if lowered.hasPrefix("application/") || lowered.hasPrefix("text/") { return "document" }
    return "file"
  }
}

/// Twilio error codes Junction acts on (https://www.twilio.com/docs/api/errors).
enum TwilioErrors {
  /// The recipient texted STOP: Twilio blocks sends from this sender.
  static let optedOut: Set<String> = ["21610"]
  /// The number cannot receive SMS at all.
  static let unreachable: Set<String> = ["21211", "21614", "30003", "30005", "30006"]
  /// Try again later.
  static let retryable: Set<String> = ["20429", "30001"]

  static func describe(_ code: String) -> String? {
    switch code {
    case "20003": return "authentication failed: check account_sid and auth_token"
    case "20429": return "too many concurrent requests"
    case "21211": return "the To number is not a valid phone number"
    case "21408": return "sending to this region is not enabled (geo permissions)"
    case "21606", "21659": return "the From number is not a valid sender for this account"
    case "21610": return "the recipient opted out (texted STOP) and cannot be messaged"
    case "21612": return "the To number cannot be reached from this sender"
    case "21614": return "the To number is not a mobile number"
    case "21617": return "the message body is too long"
    case "30001": return "queue overflow"
    case "30003": return "unreachable destination handset"
    case "30004": return "message blocked"
    case "30005": return "unknown destination handset"
    case "30006": return "landline or unreachable carrier"
    case "30007": return "filtered by the carrier"
    case "30008": return "unknown error"
    default: return nil
    }
  }
}
