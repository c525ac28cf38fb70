import JunctionChannels
import JunctionModel

extension TelegramAdapter {
  /// What one Bot API call came to.
  enum CallOutcome: Sendable, Equatable {
    case done(SendResult)
    /// The group became a supergroup: send again to this chat id.
    case migrated(to: Int64)
  }

  /// Classifies a Bot API answer (`{"ok":true,"result":…}` or
  /// `{"ok":false,"error_code":…,"description":…,"parameters":{…}}`):
  ///
  /// - no answer, 408 and 5xx: retry; 429: retry after `parameters.retry_after` seconds;
  /// - 403 (`bot was blocked by the user`, `user is deactivated`, `bot was kicked` …): the
  ///   recipient is unreachable; 400 `chat not found`/`user not found`: likewise;
  /// - 400 with `parameters.migrate_to_chat_id`: send again to the supergroup;
  /// - any other error: permanent.
  static func classify(_ result: Result<ProviderResponse, TransportError>, chatId: JSON)
    -> CallOutcome
  {
    let response: ProviderResponse
    switch result {
    case .failure(let error):
      return .done(
        .retry(
          ProviderError(
            code: error.isTimeout ? "timeout" : "connection_failed", message: error.message),
          retryAfter: nil))
    case .success(let answer): response = answer
    }
    let body = response.json
    if (200..<300).contains(response.status) {
      guard let body, body["ok"]?.boolValue == true else {
        return .done(
          .retry(
            ProviderError(
              code: "invalid_response", message: snippet(response), httpStatus: response.status),
            retryAfter: nil))
      }
      let sent = body["result"]
      let chat = sent?["chat"]?["id"]?.intValue.map { String($0) } ?? chatText(chatId)
      let id = sent?["message_id"]?.intValue.map { "\(chat):\($0)" }
      return .done(.sent(providerMessageId: id, details: JSONObject()))
    }
    let code = body?["error_code"]?.intValue.flatMap { Int(exactly: $0) } ?? response.status
    let description = body?["description"]?.stringValue ?? snippet(response)
    let parameters = body?["parameters"]
    if let migrated = parameters?["migrate_to_chat_id"]?.intValue { return .migrated(to: migrated) }
    func error(_ junctionCode: String) -> ProviderError {
      ProviderError(
        code: junctionCode, message: description, httpStatus: response.status,
        providerCode: String(code))
    }
    let lowered = description.lowercased()
    switch code {
    case 429:
      let after =
        parameters?["retry_after"]?.doubleValue
        ?? response.header("Retry-After").flatMap(Double.init)
      return .done(.retry(error("rate_limited"), retryAfter: after))
    case 408, 500..<600:
      return .done(.retry(error("http_\(code)"), retryAfter: nil))
    case 403:
      let junctionCode = lowered.contains("blocked") ? "recipient_blocked" : "recipient_unreachable"
      return .done(.failed(error(junctionCode), recipientUnreachable: true))
    case 400
    where lowered.contains("chat not found") || lowered.contains("user not found")
      || lowered.contains("peer_id_invalid"):
      return .done(.failed(error("invalid_recipient"), recipientUnreachable: true))
    case 401, 404:
      return .done(.failed(error("bot_token_rejected")))
    default:
      return .done(.failed(error("http_\(code)")))
    }
  }

  static func snippet(_ response: ProviderResponse) -> String {
    String(decoding: response.body.prefix(300), as: UTF8.self)
  }

  static func chatText(_ chat: JSON) -> String {
    chat.intValue.map { String($0) } ?? chat.stringValue ?? ""
  }
}
