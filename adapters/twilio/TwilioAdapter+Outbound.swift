import JunctionChannels
import JunctionHTTP
import JunctionModel

extension TwilioAdapter {
  /// `POST {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json`.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    let text = message.text ?? ""
    let media = message.attachments.compactMap(\.url)
    guard !text.isEmpty || !media.isEmpty else {
      return .failed(ProviderError(code: "empty_message", message: "nothing to send"))
    }
    let request = ProviderRequest(
      url: "\(apiBase)/2010-04-01/Accounts/\(accountSid)/Messages.json",
      headers: [
        ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
      ],
      body: Array(FormEncoding.encode(form(message, text: text, media: media)).utf8),
      timeout: timeout, basicAuth: (accountSid, authToken))
    let segments = SMSSegments(text)
    return Self.classify(await transport.perform(request), segments: segments)
  }

  /// The form fields of a send.
  func form(_ message: OutboundMessage, text: String, media: [String]) -> [(String, String)] {
    var fields = [("To", Self.recipientNumber(message.recipient))]
    fields.append(from.hasPrefix("MG") ? ("MessagingServiceSid", from) : ("From", from))
    if !text.isEmpty { fields.append(("Body", text)) }
    for url in media { fields.append(("MediaUrl", url)) }
    fields.append(("StatusCallback", publicURL))
    return fields
  }

  /// The number to send to: the contact's id on this channel when it is a phone number (it
  /// is, for contacts who texted in), else their known phone, else the id as it is.
  static func recipientNumber(_ recipient: SenderProfile) -> String {
    if PhoneNumber.isE164(recipient.externalId) { return recipient.externalId }
    return recipient.phone ?? recipient.externalId
  }

  /// Twilio's answer in Junction's terms: 201 `{"sid": …}` sent; 429, 5xx and error 20429
  /// retried; 21610 (opted out) and 21211/21614 (not a reachable mobile number) permanent
  /// and flagged on the contact; other 4xx permanent.
  static func classify(
    _ result: Result<ProviderResponse, TransportError>, segments: SMSSegments
  ) -> SendResult {
    guard case .success(let response) = result else {
      return SendResult.classify(result)
    }
    let json = response.json
    if (200..<300).contains(response.status) {
      guard let sid = json?["sid"]?.stringValue else {
        return .retry(
          ProviderError(
            code: "invalid_response", message: "Twilio answered without a message sid",
            httpStatus: response.status), retryAfter: nil)
      }
      return .sent(providerMessageId: sid, details: ["sms": segments.json])
    }
    let code = json?["code"]?.intValue.map(String.init)
    let message =
      json?["message"]?.stringValue
      ?? String(decoding: response.body.prefix(300), as: UTF8.self)
    let retryAfter = response.header("Retry-After").flatMap(Double.init)
    var error = ProviderError(
      code: "http_\(response.status)", message: message, httpStatus: response.status,
      providerCode: code)
    if let code {
      if TwilioErrors.optedOut.contains(code) {
        error.code = "opted_out"
        return .failed(error, optedOut: true)
      }
      if TwilioErrors.unreachable.contains(code) {
        error.code = "invalid_recipient"
        return .failed(error, recipientUnreachable: true)
      }
      if TwilioErrors.retryable.contains(code) {
        return .retry(error, retryAfter: retryAfter)
      }
      if code == "20003" { error.code = "unauthorized" }
    }
    switch response.status {
    case 408, 429, 500..<600: return .retry(error, retryAfter: retryAfter)
    default: return .failed(error)
    }
  }
}
