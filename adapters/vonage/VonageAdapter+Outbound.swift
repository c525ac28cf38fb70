import JunctionChannels
import JunctionHTTP
import JunctionModel

extension VonageAdapter {
  /// `POST {api_base}/sms/json`, form-encoded, with a delivery receipt requested to
  /// `callback` and Junction's message id as `client-ref`.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    guard let text = message.text, !text.isEmpty else {
      return .failed(
        ProviderError(code: "empty_message", message: "Vonage SMS carries text only"))
    }
    let segments = SMSSegments(text)
    let request = ProviderRequest(
      url: "\(apiBase)/sms/json",
      headers: [
        ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
      ],
      body: Array(FormEncoding.encode(form(message, text: text, segments: segments)).utf8),
      timeout: timeout)
    return Self.classify(await transport.perform(request), segments: segments)
  }

  /// The form fields of a send.
  func form(_ message: OutboundMessage, text: String, segments: SMSSegments) -> [(String, String)] {
    let recipient =
      PhoneNumber.isE164(message.recipient.externalId)
      ? message.recipient.externalId : (message.recipient.phone ?? message.recipient.externalId)
    var fields = [
      ("api_key", apiKey), ("api_secret", apiSecret), ("from", from),
      ("to", recipient.hasPrefix("+") ? String(recipient.dropFirst()) : recipient),
      ("text", text),
    ]
    // GSM-7 is the default; anything else is mangled unless Vonage is told it is unicode.
    if segments.encoding == .ucs2 { fields.append(("type", "unicode")) }
    fields += [
      ("status-report-req", "1"), ("callback", callbackURL), ("client-ref", message.messageId),
    ]
    return fields
  }

  /// Vonage's answer in Junction's terms. HTTP 200 says nothing: every entry of `messages`
  /// (one per SMS part) has its own `status`, `"0"` meaning accepted. Any other status fails
  /// the send — retried when every failure is retryable (1 throttled, 5 internal error),
  /// permanent otherwise.
  static func classify(
    _ result: Result<ProviderResponse, TransportError>, segments: SMSSegments
  ) -> SendResult {
    guard case .success(let response) = result, (200..<300).contains(response.status) else {
      return SendResult.classify(result)
    }
    guard let parts = response.json?["messages"]?.arrayValue, !parts.isEmpty else {
      return .retry(
        ProviderError(
          code: "invalid_response", message: "Vonage answered without messages",
          httpStatus: response.status), retryAfter: nil)
    }
    var ids: [JSON] = []
    var failures: [(index: Int, status: String, text: String)] = []
    for (index, part) in parts.enumerated() {
      let status = part["status"]?.stringValue ?? part["status"]?.intValue.map(String.init) ?? ""
      if status == "0", let id = part["message-id"]?.stringValue {
        ids.append(.string(id))
      } else {
        failures.append((index, status, part["error-text"]?.stringValue ?? "status \(status)"))
      }
    }
    guard let first = failures.first else {
      var details: JSONObject = ["sms": segments.json]
      if ids.count > 1 { details["message_ids"] = .array(ids) }
      return .sent(providerMessageId: ids.first?.stringValue, details: details)
    }
    var message = first.text
    if parts.count > 1 { message += " (part \(first.index + 1) of \(parts.count))" }
    if !ids.isEmpty { message += "; \(ids.count) other part(s) were accepted" }
    let error = ProviderError(
      code: VonageErrors.code(ofStatus: first.status), message: message,
      httpStatus: response.status, providerCode: first.status)
    if failures.allSatisfy({ VonageErrors.retryable.contains($0.status) }) {
      return .retry(error, retryAfter: first.status == "1" ? 1 : nil)
    }
    return .failed(
      error, recipientUnreachable: VonageErrors.unreachable.contains(first.status))
  }
}
