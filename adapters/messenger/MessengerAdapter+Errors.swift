import JunctionChannels
import JunctionModel

extension MessengerAdapter {
  /// Classifies a Send API call: 2xx → sent with `message_id`; a Graph error by its code;
  /// anything else by HTTP status.
  static func classifySend(_ result: Result<ProviderResponse, TransportError>) -> SendResult {
    SendResult.classifyGraph(
      result, success: { $0.json?["message_id"]?.stringValue },
      graph: { error, response in
        classify(
          error, httpStatus: response.status,
          retryAfter: response.header("Retry-After").flatMap(Double.init))
      })
  }

  /// Messenger's error codes in Junction's terms.
  ///
  /// Retried: rate limits (4 application, 17 user, 32 Page, 613 calls within a minute),
  /// temporary send failures (1200) and Graph's unknown/unavailable errors (1, 2), anything
  /// `is_transient`, HTTP 429 and 5xx. Permanent: 551 "This person isn't available right now"
  /// and 100/2018001 "No matching user found" (the contact is marked unreachable), 10/2018278
  /// outside the messaging window, 10 and 200 permission errors, 190 expired or revoked token
  /// (fix `page_access_token`), every other 4xx.
  static func classify(_ graph: MetaGraphError, httpStatus: Int, retryAfter: Double?)
    -> SendResult
  {
    let error = graph.providerError(
      errorCode(graph.code ?? 0, subcode: graph.subcode), httpStatus: httpStatus)
    switch (graph.code ?? 0, graph.subcode) {
    case (4, _), (17, _), (32, _), (613, _), (1200, _), (1, _), (2, _):
      return .retry(error, retryAfter: retryAfter)
    case (551, _), (100, 2_018_001):
      return .failed(error, recipientUnreachable: true)
    case (10, _), (200, _), (190, _):
      return .failed(error)
    default:
      if graph.isTransient || httpStatus == 429 || httpStatus >= 500 {
        return .retry(error, retryAfter: retryAfter)
      }
      return .failed(error)
    }
  }

  /// Junction's error code for a Messenger error code and subcode.
  static func errorCode(_ code: Int64, subcode: Int64?) -> String {
    switch (code, subcode) {
    case (4, _), (17, _), (32, _), (613, _): return "rate_limited"
    case (1200, _), (1, _), (2, _): return "temporarily_unavailable"
    case (551, _): return "recipient_unavailable"
    case (100, 2_018_001): return "invalid_recipient"
    case (10, 2_018_278): return "outside_reply_window"
    case (10, _), (200, _): return "permission_denied"
    case (190, _): return "token_expired"
    case (100, _): return "invalid_request"
    default: return "messenger_error"
    }
  }
}
