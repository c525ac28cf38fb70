import JunctionHTTP

/// A request refused before its handler ran (bad credentials, bad parameters), with the
/// response to send.
struct RejectedRequest: Error {
  let response: HTTPResponse

  init(_ response: HTTPResponse) { self.response = response }

  /// A 400 naming the parameter at fault.
  static func parameter(_ name: String, _ message: String) -> RejectedRequest {
    RejectedRequest(.error(400, code: "invalid_parameter", message: "\(name): \(message)"))
  }
}
