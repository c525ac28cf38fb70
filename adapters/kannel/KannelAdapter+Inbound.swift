import JunctionChannels
import JunctionDigest
import JunctionModel

extension KannelAdapter {
  /// A mobile-originated message (`from`, `to`, `text`, `coding`, `charset`, `ts`, `smsc`,
  /// `id`) or a delivery report (`dlr` with the `msg` Junction put in the `dlr-url`).
  func parse(_ query: KannelQuery, now: Timestamp) throws(FieldError) -> [InboundItem] {
    if query["dlr"] != nil { return try report(query).map { [.status($0)] } ?? [] }
    guard let from = query.nonEmpty("from") else {
      throw FieldError(path: "from", message: "is required (get-url: from=%p)")
    }
    guard let bytes = query.bytes("text") else {
      throw FieldError(path: "text", message: "is required (get-url: text=%b)")
    }
    // Binary messages (coding 1: ringtones, WAP push) carry no text for a helpdesk.
    guard
      let text = KannelQuery.text(
        bytes, coding: query["coding"], charset: query.nonEmpty("charset"))
    else { return [] }
    let phone = PhoneNumber.e164(from, defaultCountry: sms.defaultCountry)
    let sentAt = query.nonEmpty("ts").flatMap { Int64($0) }.map { Timestamp(unixSeconds: $0) }
    var details: JSONObject = ["sms": SMSSegments(text).json]
    details["to"] = .optional(query.nonEmpty("to"))
    details["smsc"] = .optional(query.nonEmpty("smsc"))
    let id = query.nonEmpty("id") ?? Self.fallbackId(from: from, ts: query["ts"], text: bytes)
    return [
      .message(
        InboundMessage(
          providerMessageId: id, sender: SenderProfile(externalId: phone ?? from, phone: phone),
          text: text, sentAt: sentAt, details: details))
    ]
  }

  /// A dedupe key for a message without Kannel's `%I`: a hash of sender, time and text.
  static func fallbackId(from: String, ts: String?, text: [UInt8]) -> String {
    var hasher = SHA256()
    hasher.update(Array(from.utf8) + [0])
    hasher.update(Array((ts ?? "").utf8) + [0])
    hasher.update(text)
    return "h-" + Hex.encode(hasher.finalize().prefix(16))
  }

  /// A delivery report: `dlr` is Kannel's `%d` (1 delivered, 2 undelivered, 4 buffered,
  /// 8 accepted by the SMSC, 16 rejected by the SMSC); nil for intermediate reports.
  func report(_ query: KannelQuery) throws(FieldError) -> DeliveryStatusUpdate? {
    guard let reference = query.nonEmpty("msg") else {
      throw FieldError(path: "msg", message: "is required (Junction's dlr-url carries it)")
    }
    guard let type = query.nonEmpty("dlr").flatMap({ Int($0) }) else {
      throw FieldError(path: "dlr", message: "expected Kannel's DLR type (%d)")
    }
    let status: DeliveryStatus
    var error: JSON?
    switch type {
    case 1: status = .delivered
    case 4, 8: status = .sent
    case 2, 16:
      status = .failed
      var object: JSONObject = [
        "code": .string(type == 2 ? "undelivered" : "rejected"),
        "message": .string(
          query.nonEmpty("reply")
            ?? (type == 2 ? "not delivered to the phone" : "rejected by the SMSC")),
        "provider_code": .string(String(type)),
      ]
      if let smscId = query.nonEmpty("fid") { object["smsc_message_id"] = .string(smscId) }
      error = .object(object)
    default:
      return nil
    }
    return DeliveryStatusUpdate(
      messageId: Self.messageId(fromReference: reference), providerMessageId: reference,
      status: status, error: error,
      at: query.nonEmpty("ts").flatMap { Int64($0) }.map { Timestamp(unixSeconds: $0) },
      dedupeKey: "\(reference):\(type):\(query["fid"] ?? "")")
  }
}
