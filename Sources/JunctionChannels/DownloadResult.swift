import JunctionModel

/// A file fetched from a provider.
public struct DownloadedFile: Sendable, Equatable {
  public var bytes: [UInt8]
  /// The provider's content type, when it said.
  public var contentType: String?
  public var filename: String?

  public init(bytes: [UInt8], contentType: String? = nil, filename: String? = nil) {
    self.bytes = bytes
    self.contentType = contentType
    self.filename = filename
  }
}

/// The outcome of ``ChannelAdapter/download(_:transport:maxBytes:)``.
public enum DownloadResult: Sendable, Equatable {
  case downloaded(DownloadedFile)
  /// Try again later (timeouts, 429, 5xx).
  case retry(ProviderError)
  /// Never going to work (404, too large, no URL).
  case failed(ProviderError)

  /// GETs `url` (with `headers`, e.g. a bearer token) and classifies the answer.
  public static func get(
    _ url: String, headers: [(String, String)] = [], transport: any ChannelTransport,
    maxBytes: Int
  ) async -> DownloadResult {
    let request = ProviderRequest(method: "GET", url: url, headers: headers, timeout: 60)
    return classify(await transport.perform(request), maxBytes: maxBytes)
  }

  /// Classifies a download's answer: 2xx within `maxBytes` is the file, timeouts, connection
  /// failures, 408, 429 and 5xx are retried, anything else fails.
  public static func classify(
    _ result: Result<ProviderResponse, TransportError>, maxBytes: Int
  ) -> DownloadResult {
    switch result {
    case .failure(let error):
      return .retry(
        ProviderError(
          code: error.isTimeout ? "timeout" : "connection_failed", message: error.message))
    case .success(let response):
      let error = ProviderError(
        code: "http_\(response.status)",
        message: String(decoding: response.body.prefix(200), as: UTF8.self),
        httpStatus: response.status)
      switch response.status {
      case 200..<300:
        guard response.body.count <= maxBytes else {
          return .failed(
            ProviderError(
              code: "too_large",
              message: "\(response.body.count) bytes exceed the limit of \(maxBytes)"))
        }
        return .downloaded(
          DownloadedFile(bytes: response.body, contentType: response.header("Content-Type")))
      case 408, 429, 500..<600: return .retry(error)
      default: return .failed(error)
      }
    }
  }
}
