/// One HTTP exchange for `CurlHTTPClient`: the same fields as the gateway's `ProviderRequest`,
/// plus limits.
public struct CurlRequest: Sendable {
  /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD` or any other token.
  public var method: String
  /// An absolute `http://` or `https://` URL.
  public var url: String
  /// Request headers in order; repeated names are sent repeatedly.
  public var headers: [(String, String)]
  /// The request body, sent with `Content-Length` (empty: no body).
  public var body: [UInt8]
  /// Seconds for the whole exchange, connect included.
  public var timeout: Double
  /// Seconds to establish the connection (TCP and TLS); at most `timeout`.
  public var connectTimeout: Double
  /// Credentials sent as `Authorization: Basic …`.
  public var basicAuth: CurlCredentials?
  /// The largest response body accepted; a larger one fails with `.responseTooLarge`.
  public var maxResponseBytes: Int
  /// Follow 3xx redirects (at most `maxRedirects`); off by default.
  public var followRedirects: Bool
  /// The most redirects followed when `followRedirects` is on.
  public var maxRedirects: Int
  /// TLS trust settings for `https://`.
  public var tls: CurlTLSOptions

  /// Makes a request; by default a `GET` with a 15 s total and 5 s connect timeout and a
  /// 16 MiB response limit.
  public init(
    method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [],
    timeout: Double = 15, connectTimeout: Double = 5, basicAuth: CurlCredentials? = nil,
    maxResponseBytes: Int = 16 << 20, followRedirects: Bool = false, maxRedirects: Int = 5,
    tls: CurlTLSOptions = CurlTLSOptions()
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.connectTimeout = connectTimeout
    self.basicAuth = basicAuth
    self.maxResponseBytes = maxResponseBytes
    self.followRedirects = followRedirects
    self.maxRedirects = maxRedirects
    self.tls = tls
  }
}

/// A user name and password (HTTP basic auth, SMTP AUTH, IMAP LOGIN/AUTHENTICATE).
public struct CurlCredentials: Sendable, Equatable, CustomStringConvertible {
  /// The user name.
  public var user: String
  /// The password; never printed.
  public var password: String

  /// Makes credentials.
  public init(user: String, password: String) {
    self.user = user
    self.password = password
  }

  /// The user name only: credentials never reach a log line.
  public var description: String { "\(user):***" }
}

/// How a TLS peer is trusted.
public struct CurlTLSOptions: Sendable, Equatable {
  /// Check the certificate chain and host name (on unless a test turns it off).
  public var verifyPeer: Bool
  /// A PEM file of trusted certificates instead of the system store (a test's self-signed CA).
  public var caFile: String?

  /// The system trust store with verification on, unless told otherwise.
  public init(verifyPeer: Bool = true, caFile: String? = nil) {
    self.verifyPeer = verifyPeer
    self.caFile = caFile
  }
}
