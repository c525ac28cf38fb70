import Dispatch

/// One IMAP mailbox session over a single reused libcurl easy handle: the connection, login
/// and SELECT state survive between polls, and a broken connection is replaced transparently.
///
/// Every command runs on the session's own serial dispatch queue (libcurl's easy interface
/// blocks), never on Swift's cooperative threads; calls from many tasks are queued in order.
/// libcurl cannot hold IMAP IDLE open, so mailboxes are polled.
public final class CurlIMAPSession: Sendable {
  /// The server and how to log in.
  public struct Configuration: Sendable {
    /// `imap://host:143` (STARTTLS per `tlsPolicy`) or `imaps://host:993`; a path is ignored
    /// (mailboxes are named per call).
    public var url: String
    /// LOGIN / AUTHENTICATE credentials.
    public var credentials: CurlCredentials
    /// STARTTLS on `imap://`.
    public var tlsPolicy: CurlTLSPolicy
    /// Trust settings for TLS.
    public var tls: CurlTLSOptions
    /// Seconds for one command, connecting and logging in included.
    public var timeout: Double
    /// Seconds to connect, TLS included.
    public var connectTimeout: Double
    /// Use `UID MOVE` when the server announces MOVE (RFC 6851); off forces the
    /// COPY + `\Deleted` + EXPUNGE fallback.
    public var useMove: Bool

    /// A configuration; STARTTLS required by default.
    public init(
      url: String, credentials: CurlCredentials, tlsPolicy: CurlTLSPolicy = .required,
      tls: CurlTLSOptions = CurlTLSOptions(), timeout: Double = 60, connectTimeout: Double = 10,
      useMove: Bool = true
    ) {
      self.url = url
      self.credentials = credentials
      self.tlsPolicy = tlsPolicy
      self.tls = tls
      self.timeout = timeout
      self.connectTimeout = connectTimeout
      self.useMove = useMove
    }
  }

  let configuration: Configuration
  private let queue: DispatchQueue
  private let connection: IMAPConnection

  /// A session; nothing connects until the first command.
  public init(configuration: Configuration) {
    self.configuration = configuration
    queue = DispatchQueue(label: "junction-curl-imap")
    connection = IMAPConnection(configuration: configuration)
  }

  /// Runs `body` with the connection on the session's queue.
  func onQueue<Value: Sendable>(
    _ body: @escaping @Sendable (IMAPConnection) -> Result<Value, CurlError>
  ) async throws(CurlError) -> Value {
    let connection = self.connection
    let result = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<Value, CurlError>, Never>) in
      queue.async { continuation.resume(returning: body(connection)) }
    }
    return try result.get()
  }

  /// Closes the connection (the server sees a LOGOUT); the next command reconnects.
  public func disconnect() async {
    let connection = self.connection
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      queue.async {
        connection.disconnect()
        continuation.resume()
      }
    }
  }
}
