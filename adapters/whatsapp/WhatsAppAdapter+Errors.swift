import JunctionChannels
import JunctionModel

extension WhatsAppAdapter {
  /// Classifies a send: 2xx → sent with `messages[0].id` (the wamid); a Graph error by its
  /// code (``classify(_:httpStatus:retryAfter:)``); anything else by HTTP status.
  static func classifySend(_ result: Result<ProviderResponse, TransportError>) -> SendResult {
    SendResult.classifyGraph(
      result, success: { $0.json?["messages"]?[0]?["id"]?.stringValue },
      graph: { error, response in
        classify(
          error, httpStatus: response.status,
          retryAfter: response.header("Retry-After").flatMap(Double.init))
      })
  }

  /// WhatsApp's error codes in Junction's terms.
  ///
  /// Retried: throughput and pair rate limits (130429, 131056 — after 6 s, WhatsApp's
  /// one-message-per-6-seconds pair rate — 131048 spam rate limit, 4 and 80007 app and
  /// account call limits), WhatsApp's temporary errors (1, 2, 131000, 131016, 133004) and
  /// anything flagged `is_transient`, plus HTTP 429 and 5xx. Permanent: 131026 undeliverable
  /// (the contact is marked unreachable), 131047 re-engagement (more than 24 h since the
  /// customer wrote), 131050 the user stopped marketing messages (opted out), 131051
  /// unsupported type, 190 expired or revoked token (fix `access_token`; the message is
  /// failed, not held), template errors (132xxx) and every other 4xx.
  static func classify(_ graph: MetaGraphError, httpStatus: Int, retryAfter: Double?)
    -> SendResult
  {
    let code = graph.code ?? 0
    let error = graph.providerError(errorCode(code), httpStatus: httpStatus)
    switch code {
    case 131056:
      return .retry(error, retryAfter: retryAfter ?? 6)
    case 4, 80007, 130429, 131048, 1, 2, 131000, 131016, 133004:
      return .retry(error, retryAfter: retryAfter)
    case 131026:
      return .failed(error, recipientUnreachable: true)
    case 131050:
      return .failed(error, optedOut: true)
    case 131047, 131051, 190:
      return .failed(error)
    default:
      if graph.isTransient || httpStatus == 429 || httpStatus >= 500 {
        return .retry(error, retryAfter: retryAfter)
      }
      return .failed(error)
    }
  }

  /// Junction's error code for a WhatsApp error code.
  static func errorCode(_ code: Int64) -> String {
    switch code {
    case 4, 80007, 130429, 131048, 131056: return "rate_limited"
    case 131026: return "undeliverable"
    case 131047: return "outside_reply_window"
    case 131050: return "opted_out"
    case 131051: return "unsupported_message_type"
    case 131021: return "invalid_recipient"
    case 190: return "token_expired"
    case 100, 131008, 131009: return "invalid_request"
    case 132000...132999: return "template_error"
    case 368, 131031: return "account_restricted"
    case 1, 2, 131000, 131016, 133004: return "temporarily_unavailable"
    default: return "whatsapp_error"
    }
  }
}
