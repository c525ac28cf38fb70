import JunctionModel

/// An HTTP call an adapter wants made to its provider.
public struct ProviderRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [(String, String)]
  public var body: [UInt8]
  /// Seconds for the whole exchange.
  public var timeout: Double
  public var basicAuth: (user: String, password: String)?

  public init(
    method: String = "POST", url: String, headers: [(String, String)] = [], body: [UInt8] = [],
    timeout: Double = 15, basicAuth: (user: String, password: String)? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.basicAuth = basicAuth
  }

  /// A JSON POST.
  public static func json(_ url: String, _ body: JSON, headers: [(String, String)] = [])
    -> ProviderRequest
  {
    ProviderRequest(
      url: url, headers: [("Content-Type", "application/json")] + headers,
      body: body.serialized())
  }
}

/// The provider's HTTP answer.
public struct ProviderResponse: Sendable, Equatable {
  public var status: Int
  public var headers: [String: String]
  public var body: [UInt8]

  public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// A header by case-insensitive name.
  public func header(_ name: String) -> String? {
    let lowered = name.lowercased()
    return headers.first { $0.key.lowercased() == lowered }?.value
  }

  /// The body parsed as JSON, when it is JSON.
  public var json: JSON? { try? JSON.parse(body) }
}

/// The call never got an HTTP answer.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var isTimeout: Bool

  public init(message: String, isTimeout: Bool = false) {
    self.message = message
    self.isTimeout = isTimeout
  }

  public var description: String { message }
}

/// How adapters reach providers. The gateway's implementation runs over libcurl
/// (`JunctionCurl`); tests substitute stand-ins.
public protocol ChannelTransport: Sendable {
  /// Performs one HTTP exchange. Redirects are not followed.
  func perform(_ request: ProviderRequest) async -> Result<ProviderResponse, TransportError>
}

extension SendResult {
  /// The usual classification of an HTTP send: 2xx sent; 408, 429 and 5xx retryable
  /// (honouring `Retry-After` in seconds); other statuses permanent; no answer retryable.
  public static func classify(
    _ result: Result<ProviderResponse, TransportError>,
    providerMessageId: (ProviderResponse) -> String? = { _ in nil }
  ) -> SendResult {
    switch result {
    case .failure(let error):
      return .retry(
        ProviderError(
          code: error.isTimeout ? "timeout" : "connection_failed", message: error.message),
        retryAfter: nil)
    case .success(let response):
      let snippet = String(decoding: response.body.prefix(300), as: UTF8.self)
      let error = ProviderError(
        code: "http_\(response.status)", message: snippet, httpStatus: response.status)
      switch response.status {
      case 200..<300:
        return .sent(providerMessageId: providerMessageId(response), details: JSONObject())
      case 408, 429, 500..<600:
        return .retry(error, retryAfter: response.header("Retry-After").flatMap(Double.init))
      default:
        return .failed(error)
      }
    }
  }
}
