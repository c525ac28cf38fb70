import Foundation
import JunctionChannels
import JunctionHTTP
import JunctionModel

extension KannelAdapter {
  /// `GET {sendsms_url}?username&password&from&to&text&charset=UTF-8&coding&dlr-mask&dlr-url`.
  ///
  /// Text goes as UTF-8 with `coding=0` when it fits GSM-7 and `coding=2` (UCS-2) otherwise;
  /// smsbox converts and, with `max-messages` > 1 in the `sendsms-user` group, splits it.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    guard let text = message.text, !text.isEmpty else {
      return .failed(ProviderError(code: "empty_message", message: "Kannel carries text only"))
    }
    let segments = SMSSegments(text)
    let separator = sendsmsURL.contains("?") ? "&" : "?"
    let request = ProviderRequest(
      method: "GET",
      url: sendsmsURL + separator
        + FormEncoding.encode(query(message, text: text, segments: segments)),
      timeout: timeout)
    return Self.classify(
      await transport.perform(request), messageId: message.messageId, segments: segments)
  }

  /// The sendsms CGI variables.
  func query(_ message: OutboundMessage, text: String, segments: SMSSegments) -> [(String, String)]
  {
    let recipient =
      PhoneNumber.isE164(message.recipient.externalId)
      ? message.recipient.externalId : (message.recipient.phone ?? message.recipient.externalId)
    var fields = [("username", username), ("password", password)]
    if let from { fields.append(("from", from)) }
    fields += [
      ("to", recipient), ("text", text), ("charset", "UTF-8"),
      ("coding", segments.encoding == .ucs2 ? "2" : "0"),
    ]
    if dlrMask > 0 {
      fields += [("dlr-mask", String(dlrMask)), ("dlr-url", dlrURL(messageId: message.messageId))]
    }
    if let smsc { fields.append(("smsc", smsc)) }
    return fields
  }

  /// Where Kannel reports deliveries: this channel's inbound URL with the message id and
  /// Kannel's escapes `%d` (type), `%A` (the SMSC's report text), `%F` (SMSC message id),
  /// `%T` (time).
  func dlrURL(messageId: String) -> String {
    let separator = callbackURL.contains("?") ? "&" : "?"
    var url =
      callbackURL + separator + "dlr=%d&msg=" + FormEncoding.percentEncode(messageId)
      + "&reply=%A&fid=%F&ts=%T"
    if let token { url += "&token=" + FormEncoding.percentEncode(token) }
    return url
  }

  /// smsbox's answer: `202 0: Accepted for delivery` / `3: Queued for later delivery` sent;
  /// `503 Temporal failure` and other 5xx retried; `403` (authorization, not routable) and
  /// `400`/`415` permanent. Kannel returns no message id, so Junction's id is the provider
  /// id that delivery reports carry back.
  static func classify(
    _ result: Result<ProviderResponse, TransportError>, messageId: String, segments: SMSSegments
  ) -> SendResult {
    guard case .success(let response) = result else { return SendResult.classify(result) }
    let body = String(decoding: response.body.prefix(300), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    var error = ProviderError(
      code: "http_\(response.status)", message: body.isEmpty ? "no answer text" : body,
      httpStatus: response.status)
    switch response.status {
    case 200..<300:
      return .sent(providerMessageId: messageId, details: ["sms": segments.json])
    case 403 where body.localizedCaseInsensitiveContains("not routable"):
      error.code = "not_routable"
      return .failed(error)
    case 403:
      error.code = "unauthorized"
      return .failed(error)
    case 400, 415:
      error.code = "invalid_request"
      return .failed(error)
    case 408, 429, 500..<600:
      return .retry(error, retryAfter: nil)
    default:
      return .failed(error)
    }
  }
}
