import JunctionChannels
import JunctionModel

/// The Graph API's error envelope, shared by WhatsApp Cloud API and Messenger:
/// `{"error": {"message", "type", "code", "error_subcode", "error_data", "is_transient",
/// "fbtrace_id"}}`.
struct MetaGraphError: Sendable, Equatable {
  var code: Int64?
  var subcode: Int64?
  var message: String
  /// `error_data.details` (WhatsApp) or `error_data` when it is a string.
  var details: String?
  var isTransient: Bool
  var fbtraceId: String?

  /// The error in a Graph response body, if it has one.
  init?(body: [UInt8]) {
    guard let json = try? JSON.parse(body), let error = json["error"], error.objectValue != nil
    else { return nil }
    self.init(error)
  }

  /// Reads one error object (also the shape of WhatsApp's `statuses[].errors[]` items, whose
  /// text is in `title`/`message`).
  init(_ error: JSON) {
    code = error["code"]?.intValue
    subcode = error["error_subcode"]?.intValue
    message =
      error["message"]?.stringValue ?? error["title"]?.stringValue ?? "unknown Graph API error"
    details = error["error_data"]?["details"]?.stringValue ?? error["error_data"]?.stringValue
    isTransient = error["is_transient"]?.boolValue ?? false
    fbtraceId = error["fbtrace_id"]?.stringValue
  }

  /// `message (details)`, as shown in `message.failed`.
  var text: String {
    guard let details, !details.isEmpty, details != message else { return message }
    return "\(message) (\(details))"
  }

  /// A ``ProviderError`` with Junction's `code`, this error's text and Graph code.
  func providerError(_ code: String, httpStatus: Int?) -> ProviderError {
    ProviderError(
      code: code, message: text, httpStatus: httpStatus,
      providerCode: self.code.map { subcode.map { "\(self.code ?? 0)/\($0)" } ?? String($0) })
  }
}

extension SendResult {
  /// Classifies a Graph API answer: `success` reads the provider's message id from a 2xx;
  /// errors in the Graph envelope go to `graph` (which decides by code); anything else uses
  /// the usual HTTP classification (408/429/5xx retry, other 4xx permanent).
  static func classifyGraph(
    _ result: Result<ProviderResponse, TransportError>,
    success: (ProviderResponse) -> String?,
    graph: (MetaGraphError, ProviderResponse) -> SendResult
  ) -> SendResult {
    guard case .success(let response) = result, !(200..<300).contains(response.status),
      let error = MetaGraphError(body: response.body)
    else { return classify(result, providerMessageId: success) }
    return graph(error, response)
  }
}
