import JunctionHTTP

extension HTTPRequest {
  /// Whether the body is `application/x-www-form-urlencoded` (or untyped and non-empty, as
  /// some SMS gateways post it).
  public var hasFormBody: Bool {
    guard !body.isEmpty else { return false }
    guard let type = headers["Content-Type"]?.lowercased() else { return true }
    return type.hasPrefix("application/x-www-form-urlencoded")
  }

  /// The form-encoded body's `name=value` pairs, in order (empty when it is not a form).
  public func formBodyParameters() -> [(name: String, value: String)] {
    hasFormBody ? FormEncoding.decode(String(decoding: body, as: UTF8.self)) : []
  }

  /// What an SMS provider's webhook carries: the query's parameters followed by the form
  /// body's (GET or POST, as the provider is configured).
  public func webhookParameters() -> [(name: String, value: String)] {
    queryParameters() + formBodyParameters()
  }
}
