/// The server's HTTP answer to a `CurlRequest`.
public struct CurlResponse: Sendable, Equatable {
  /// The status code of the final response (after redirects when they are followed).
  public var status: Int
  /// The final response's header fields.
  public var headers: CurlHeaders
  /// The response body.
  public var body: [UInt8]
  /// The URL that answered (differs from the request's after redirects).
  public var effectiveURL: String

  /// Makes a response.
  public init(
    status: Int, headers: CurlHeaders = CurlHeaders(), body: [UInt8] = [],
    effectiveURL: String = ""
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.effectiveURL = effectiveURL
  }

  /// The body as UTF-8 text (invalid bytes replaced).
  public var text: String { String(decoding: body, as: UTF8.self) }
}
