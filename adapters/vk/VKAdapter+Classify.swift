import JunctionChannels
import JunctionModel

extension VKAdapter {
  /// Error codes worth retrying: 1 unknown error, 6 too many requests per second, 9 flood
  /// control, 10 internal server error, 29 rate limit reached, 36 timeout.
  static let retryableCodes: Set<Int64> = [1, 6, 9, 10, 29, 36]
  /// Error codes saying this peer cannot be written to: 18 user deleted or banned, 900 the
  /// community is in the user's blacklist, 901 the user has not allowed messages, 902 privacy
  /// settings, 917 no access to the chat, 922 left the chat, 936 contact not found, 945 chat
  /// disabled, 946 chat not supported, 3610 user deactivated.
  static let unreachableCodes: Set<Int64> = [18, 900, 901, 902, 917, 922, 936, 945, 946, 3610]

  /// Classifies a `messages.send` answer. VK reports API errors with HTTP 200 and
  /// `{"error": {"error_code", "error_msg"}}` (or, for `peer_ids`, an `error` inside the
  /// peer's item): see ``retryableCodes`` and ``unreachableCodes``; other codes (5
  /// authorisation, 7/15 permission, 100 bad parameter, 914 too long …) are permanent.
  /// HTTP 408, 429, 5xx and network errors are retried.
  static func classify(_ result: Result<ProviderResponse, TransportError>, peer: Int64)
    -> SendResult
  {
    let response: ProviderResponse
    switch result {
    case .failure(let error):
      return .retry(
        ProviderError(
          code: error.isTimeout ? "timeout" : "connection_failed", message: error.message),
        retryAfter: nil)
    case .success(let answer): response = answer
    }
    let snippet = String(decoding: response.body.prefix(300), as: UTF8.self)
    let httpError = ProviderError(
      code: "http_\(response.status)", message: snippet, httpStatus: response.status)
    switch response.status {
    case 200..<300: break
    case 408, 429, 500..<600:
      return .retry(httpError, retryAfter: response.header("Retry-After").flatMap(Double.init))
    default: return .failed(httpError)
    }
    // random_id makes a repeat harmless, so an unreadable answer is retried.
    let invalid = SendResult.retry(
      ProviderError(code: "invalid_response", message: snippet, httpStatus: response.status),
      retryAfter: nil)
    guard let json = response.json else { return invalid }
    if let error = json["error"] {
      return apiError(code: error["error_code"]?.intValue, message: error["error_msg"]?.stringValue)
    }
    let answer = json["response"]
    if let items = answer?.arrayValue {
      guard let item = items.first(where: { $0["peer_id"]?.intValue == peer }) ?? items.first
      else { return invalid }
      if let error = item["error"] {
        return apiError(
          code: error["code"]?.intValue ?? error["error_code"]?.intValue,
          message: error["description"]?.stringValue ?? error["error_msg"]?.stringValue)
      }
      if let cmid = item["conversation_message_id"]?.intValue, cmid > 0 {
        return .sent(providerMessageId: "\(peer):\(cmid)", details: JSONObject())
      }
      let id = item["message_id"]?.intValue
      return .sent(providerMessageId: id.map { "\(peer):id\($0)" }, details: JSONObject())
    }
    if let id = answer?.intValue {
      return .sent(providerMessageId: "\(peer):id\(id)", details: JSONObject())
    }
    return invalid
  }

  /// A VK API error as a send result.
  static func apiError(code: Int64?, message: String?) -> SendResult {
    let code = code ?? 0
    let text = message ?? "VK API error \(code)"
    func error(_ junctionCode: String) -> ProviderError {
      ProviderError(code: junctionCode, message: text, httpStatus: 200, providerCode: String(code))
    }
    if retryableCodes.contains(code) {
      let junctionCode = [6, 9, 29].contains(code) ? "rate_limited" : "provider_error"
      return .retry(error(junctionCode), retryAfter: code == 6 ? 1 : nil)
    }
    if unreachableCodes.contains(code) {
      let junctionCode: String
      switch code {
      case 900: junctionCode = "recipient_blocked"
      case 936: junctionCode = "invalid_recipient"
      default: junctionCode = "recipient_unreachable"
      }
      return .failed(error(junctionCode), recipientUnreachable: true)
    }
    switch code {
    case 5, 27, 28, 1117: return .failed(error("auth_failed"))
    case 7, 15: return .failed(error("permission_denied"))
    case 14: return .failed(error("captcha_required"))
    case 100: return .failed(error("invalid_parameter"))
    case 914: return .failed(error("message_too_long"))
    default: return .failed(error("vk_error_\(code)"))
    }
  }

  /// `result` with the access token masked out of its error message.
  func scrubbed(_ result: SendResult) -> SendResult {
    switch result {
    case .sent: return result
    case .retry(var error, let after):
      error.message = scrubbed(error.message)
      return .retry(error, retryAfter: after)
    case .failed(var error, let unreachable, let optedOut):
      error.message = scrubbed(error.message)
      return .failed(error, recipientUnreachable: unreachable, optedOut: optedOut)
    }
  }
}
