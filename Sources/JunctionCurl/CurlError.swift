import CCurl

/// Why a libcurl transfer produced no usable answer: the one error type of `JunctionCurl`.
///
/// `code` is libcurl's `CURLcode` (0 when the failure is Junction's own, such as a shut-down
/// client), `message` libcurl's error buffer or a sentence saying what happened, and `url`
/// the address the transfer went to, without credentials.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The families of failure callers act on differently.
  public enum Kind: String, Sendable, Equatable {
    /// The total or connect timeout expired.
    case timeout
    /// No connection could be made: name resolution failed, refused, unreachable.
    case connectionFailed
    /// The connection broke during the exchange (reset, closed mid-response, nothing received).
    case connectionLost
    /// TLS could not be established or the peer's certificate was not trusted.
    case tls
    /// The server refused the credentials.
    case loginDenied
    /// The answer was larger than the request's `maxResponseBytes`.
    case responseTooLarge
    /// The server answered in a way the protocol does not allow, or refused a command
    /// (an IMAP `NO`/`BAD`, an unexpected reply).
    case protocolError
    /// The requested item does not exist (an IMAP UID that is gone).
    case notFound
    /// The request could not be made as given (malformed URL, unsupported option).
    case invalidRequest
    /// The transfer was cancelled by its caller or by `shutdown()`.
    case cancelled
    /// The client was shut down before the transfer started.
    case shutdown
    /// Anything else libcurl reported.
    case other
  }

  /// The family of the failure.
  public var kind: Kind
  /// libcurl's `CURLcode`, 0 when libcurl was not involved.
  public var code: Int
  /// What happened, in libcurl's words when it said something.
  public var message: String
  /// The transfer's URL without user information.
  public var url: String

  /// Makes an error; `kind` defaults to the classification of `code`.
  public init(kind: Kind? = nil, code: Int, message: String, url: String = "") {
    self.kind = kind ?? CurlError.classify(code: code)
    self.code = code
    self.message = message
    self.url = url
  }

  /// The timeout expired (connect or total).
  public var isTimeout: Bool { kind == .timeout }

  /// No connection, a broken one, or a failed TLS handshake: the peer may be down.
  public var isConnectionFailure: Bool {
    kind == .connectionFailed || kind == .connectionLost || kind == .tls
  }

  /// Worth trying again later: timeouts and connection trouble.
  public var isTransient: Bool { isTimeout || isConnectionFailure }

  /// `curl: (28) Operation timed out after 500 milliseconds url=http://…`
  public var description: String {
    let location = url.isEmpty ? "" : " url=\(url)"
    return "curl: (\(code)) \(message) kind=\(kind.rawValue)\(location)"
  }

  /// The kind libcurl's result code belongs to.
  public static func classify(code: Int) -> Kind {
    switch UInt32(truncatingIfNeeded: code) {
    case CURLE_OPERATION_TIMEDOUT.rawValue:
      return .timeout
    case CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_RESOLVE_PROXY.rawValue,
      CURLE_COULDNT_CONNECT.rawValue:
      return .connectionFailed
    case CURLE_SEND_ERROR.rawValue, CURLE_RECV_ERROR.rawValue, CURLE_GOT_NOTHING.rawValue,
      CURLE_PARTIAL_FILE.rawValue, CURLE_HTTP2.rawValue, CURLE_HTTP2_STREAM.rawValue:
      return .connectionLost
    case CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_PEER_FAILED_VERIFICATION.rawValue,
      CURLE_SSL_CERTPROBLEM.rawValue, CURLE_SSL_CIPHER.rawValue, CURLE_SSL_CACERT_BADFILE.rawValue,
      CURLE_USE_SSL_FAILED.rawValue, CURLE_SSL_ENGINE_INITFAILED.rawValue:
      return .tls
    case CURLE_LOGIN_DENIED.rawValue:
      return .loginDenied
    case CURLE_FILESIZE_EXCEEDED.rawValue:
      return .responseTooLarge
    case CURLE_WEIRD_SERVER_REPLY.rawValue, CURLE_QUOTE_ERROR.rawValue:
      return .protocolError
    case CURLE_REMOTE_FILE_NOT_FOUND.rawValue:
      return .notFound
    case CURLE_URL_MALFORMAT.rawValue, CURLE_UNSUPPORTED_PROTOCOL.rawValue,
      CURLE_BAD_FUNCTION_ARGUMENT.rawValue, CURLE_UNKNOWN_OPTION.rawValue,
      CURLE_NOT_BUILT_IN.rawValue:
      return .invalidRequest
    case CURLE_ABORTED_BY_CALLBACK.rawValue:
      return .cancelled
    default:
      return .other
    }
  }
}
