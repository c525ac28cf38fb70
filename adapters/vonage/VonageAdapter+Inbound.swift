import JunctionChannels
import JunctionModel

extension VonageAdapter {
  /// A verified webhook's items: an inbound SMS (or one part of a concatenated one), or a
  /// delivery receipt. Binary SMS and receipts Junction does not track give no items.
  func parse(_ parameters: WebhookParameters) throws(FieldError) -> [InboundItem] {
    if parameters["status"] != nil {
      return try receipt(parameters).map { [.status($0)] } ?? []
    }
    guard let messageId = parameters.nonEmpty("messageId") else {
      throw FieldError(path: "messageId", message: "is required")
    }
    guard let msisdn = parameters.nonEmpty("msisdn") else {
      throw FieldError(path: "msisdn", message: "is required")
    }
    // Binary messages (WAP push, SIM updates) carry no text for a helpdesk.
    if parameters["type"] == "binary" { return [] }
    let text = parameters["text"] ?? ""
    let phone =
      msisdn.allSatisfy(\.isASCII) && msisdn.allSatisfy(\.isNumber)
      ? PhoneNumber.e164("+" + msisdn)
      : PhoneNumber.e164(msisdn, defaultCountry: sms.defaultCountry)
    var details: JSONObject = ["sms": SMSSegments(text).json]
    details["to"] = .optional(parameters.nonEmpty("to"))
    let message = InboundMessage(
      providerMessageId: messageId,
      sender: SenderProfile(externalId: phone ?? msisdn, phone: phone), text: text,
      sentAt: parameters.nonEmpty("message-timestamp").flatMap(Self.timestamp), details: details)
    guard parameters["concat"] == "true" else { return [.message(message)] }
    guard let reference = parameters.nonEmpty("concat-ref") else {
      throw FieldError(path: "concat-ref", message: "is required when concat is true")
    }
    guard let total = parameters.nonEmpty("concat-total").flatMap({ Int($0) }),
      (1...255).contains(total)
    else { throw FieldError(path: "concat-total", message: "expected a number from 1 to 255") }
    guard let index = parameters.nonEmpty("concat-part").flatMap({ Int($0) }),
      (1...total).contains(index)
    else { throw FieldError(path: "concat-part", message: "expected a number from 1 to \(total)") }
    return [.part(MessagePart(reference: reference, index: index, total: total, message: message))]
  }

  /// A delivery receipt; nil for `unknown` and unrecognised statuses.
  func receipt(_ parameters: WebhookParameters) throws(FieldError) -> DeliveryStatusUpdate? {
    guard let providerId = parameters.nonEmpty("messageId") else {
      throw FieldError(path: "messageId", message: "is required")
    }
    let status = parameters["status"] ?? ""
    let mapped: DeliveryStatus
    switch status {
    case "delivered": mapped = .delivered
    case "accepted", "buffered": mapped = .sent
    case "expired", "failed", "rejected": mapped = .failed
    default: return nil
    }
    var error: JSON?
    if mapped == .failed {
      let code = parameters.nonEmpty("err-code")
      var object: JSONObject = [
        "code": .string(status),
        "message": .string(code.flatMap(VonageErrors.describeReceipt) ?? "message \(status)"),
      ]
      if let code {
        object["provider_code"] = .string(code)
        if VonageErrors.unreachableReceipts.contains(code) { object["unreachable"] = true }
      }
      error = .object(object)
    }
    return DeliveryStatusUpdate(
      messageId: parameters.nonEmpty("client-ref").flatMap { Self.messageId(fromReference: $0) },
      providerMessageId: providerId, status: mapped, error: error,
      at: parameters.nonEmpty("message-timestamp").flatMap(Self.timestamp),
      dedupeKey: "\(providerId):\(status)")
  }

  /// Vonage's `YYYY-MM-DD HH:MM:SS` (UTC).
  static func timestamp(_ text: String) -> Timestamp? {
    let parts = text.split(separator: " ")
    guard parts.count == 2, let date = RFC3339.parse("\(parts[0])T\(parts[1])Z") else {
      return nil
    }
    return Timestamp(date)
  }
}

/// Vonage's SMS API status codes and delivery receipt error codes.
enum VonageErrors {
  /// Send statuses worth retrying: 1 throttled, 5 internal error.
  static let retryable: Set<String> = ["1", "5"]
  /// Send statuses that mean the number cannot be reached: 6 unroutable prefix, 7 barred.
  static let unreachable: Set<String> = ["6", "7"]
  /// Receipt error codes that mean the number cannot be reached (absent permanently,
  /// illegal number, unroutable).
  static let unreachableReceipts: Set<String> = ["3", "9", "11"]

  /// Junction's code for a failed send status.
  static func code(ofStatus status: String) -> String {
    switch status {
    case "1": return "rate_limited"
    case "2", "3", "12", "23": return "invalid_request"
    case "4", "14", "32", "33": return "unauthorized"
    case "6", "7": return "invalid_recipient"
    case "8", "9", "11", "29": return "account_refused"
    case "15": return "invalid_sender"
    default: return "vonage_\(status)"
    }
  }

  static func describeReceipt(_ code: String) -> String? {
    switch code {
    case "0": return "delivered"
    case "1": return "unknown error"
    case "2": return "absent subscriber (temporary)"
    case "3": return "absent subscriber (permanent)"
    case "4": return "call barred by the user"
    case "5": return "portability error"
    case "6": return "anti-spam rejection"
    case "7": return "handset busy"
    case "8": return "network error"
    case "9": return "illegal number"
    case "10": return "illegal message"
    case "11": return "unroutable"
    case "12": return "destination unreachable"
    case "13": return "subscriber age restriction"
    case "14": return "number blocked by the carrier"
    case "15": return "pre-paid subscriber out of funds"
    case "99": return "general error"
    default: return nil
    }
  }
}
