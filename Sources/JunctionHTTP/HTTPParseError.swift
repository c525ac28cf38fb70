/// Why a request could not be parsed; becomes the status and error body sent before closing.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var status: Int
  public var code: String
  public var message: String

  public init(_ status: Int, _ code: String, _ message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  static func bad(_ message: String) -> HTTPParseError {
    HTTPParseError(400, "bad_request", message)
  }
  static let headTooLarge = HTTPParseError(431, "head_too_large", "request head exceeds the limit")
  static func bodyTooLarge(_ limit: Int) -> HTTPParseError {
    HTTPParseError(413, "body_too_large", "request body exceeds the limit of \(limit) bytes")
  }

  public var description: String { "\(status) \(code): \(message)" }
}

/// The head of a request, validated.
public struct HTTPRequestHead: Sendable, Equatable {
  public var method: HTTPMethod
  public var target: String
  public var version: HTTPVersion
  public var headers: HTTPHeaders
  /// Body framing.
  public var framing: Framing
  /// Whether the connection stays open after this request.
  public var keepAlive: Bool
  /// `Expect: 100-continue` was sent.
  public var expectsContinue: Bool

  public enum Framing: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
  }
}
