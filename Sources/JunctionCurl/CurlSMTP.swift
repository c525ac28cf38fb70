import CCurl
import JunctionSystem

/// Sends mail by SMTP through libcurl: STARTTLS or implicit TLS, AUTH, envelope sender and
/// recipients, the message as given. Transfers run on the client's own libcurl multi thread,
/// so callers never block; connections are reused between messages.
public final class CurlSMTP: Sendable {
  /// Where and how to submit.
  public struct Configuration: Sendable {
    /// `smtp://host:587` (STARTTLS per `tlsPolicy`) or `smtps://host:465` (implicit TLS).
    /// A path names the EHLO domain (`smtp://host:587/client.example.com`).
    public var url: String
    /// STARTTLS on `smtp://`.
    public var tlsPolicy: CurlTLSPolicy
    /// Trust settings for TLS.
    public var tls: CurlTLSOptions
    /// SMTP AUTH credentials (the server picks PLAIN, LOGIN, …); nil: no AUTH.
    public var credentials: CurlCredentials?
    /// Seconds for one whole submission.
    public var timeout: Double
    /// Seconds to connect, TLS included.
    public var connectTimeout: Double
    /// Submit even when some recipients are refused (the others still get the message).
    public var allowRecipientFailures: Bool

    /// A configuration; STARTTLS required by default.
    public init(
      url: String, tlsPolicy: CurlTLSPolicy = .required, tls: CurlTLSOptions = CurlTLSOptions(),
      credentials: CurlCredentials? = nil, timeout: Double = 60, connectTimeout: Double = 10,
      allowRecipientFailures: Bool = false
    ) {
      self.url = url
      self.tlsPolicy = tlsPolicy
      self.tls = tls
      self.credentials = credentials
      self.timeout = timeout
      self.connectTimeout = connectTimeout
      self.allowRecipientFailures = allowRecipientFailures
    }
  }

  private let configuration: Configuration
  private let loop: CurlMultiLoop
  private let metrics: CurlMetrics?

  /// Starts the sender's loop thread.
  public init(configuration: Configuration, metrics: MetricsRegistry? = nil) throws(CurlError) {
    self.configuration = configuration
    self.metrics = metrics.map { CurlMetrics(registry: $0, client: "smtp") }
    loop = try CurlMultiLoop(
      name: "junction-curl-smtp", maxHostConnections: 4, maxTotalConnections: 0,
      maxCachedConnections: 4)
  }

  /// Submits `message` (complete RFC 5322 bytes with CRLF line ends; libcurl dot-stuffs and
  /// ends the DATA) from the envelope sender `from` to every address in `recipients`
  /// (Cc and Bcc included: the envelope is all the server uses).
  public func send(from: String, recipients: [String], message: [UInt8]) async -> CurlSMTPResult {
    await withCheckedContinuation { continuation in
      send(from: from, recipients: recipients, message: message) {
        continuation.resume(returning: $0)
      }
    }
  }

  /// Submits like `send(from:recipients:message:)` and calls `completion` on the loop thread.
  public func send(
    from: String, recipients: [String], message: [UInt8],
    completion: @escaping @Sendable (CurlSMTPResult) -> Void
  ) {
    let transfer: CurlTransfer
    do {
      transfer = try CurlTransfer()
    } catch {
      completion(CurlSMTPResult.classify(replies: [], error: error))
      return
    }
    configure(transfer, from: from, recipients: recipients, message: message)
    if let error = transfer.checkSetup() {
      completion(CurlSMTPResult.classify(replies: [], error: error))
      return
    }
    let metrics = self.metrics
    metrics?.started()
    transfer.onDone = { transfer, code in
      let error = code == CURLE_OK ? nil : transfer.error(for: code)
      metrics?.finished(error.map { .failure($0) } ?? .success(()))
      completion(CurlSMTPResult.classify(replies: transfer.transcript, error: error))
    }
    if !loop.submit(transfer) {
      transfer.onDone = nil
      let error = CurlError.shutDown(url: transfer.displayURL)
      metrics?.finished(.failure(error))
      completion(CurlSMTPResult.classify(replies: [], error: error))
    }
  }

  /// Lets submissions in flight finish for up to `gracePeriod` seconds, then aborts the rest
  /// (classified temporary) and stops the loop thread.
  public func shutdown(gracePeriod: Double = 0) async {
    await withCheckedContinuation { continuation in
      loop.shutdown(gracePeriod: gracePeriod) { continuation.resume() }
    }
  }

  private func configure(
    _ transfer: CurlTransfer, from: String, recipients: [String], message: [UInt8]
  ) {
    transfer.displayURL = CurlURL.redacted(configuration.url)
    transfer.headerMode = .transcript
    guard let sender = Self.angleAddress(from), !recipients.isEmpty else {
      transfer.failSetup("an SMTP submission needs a valid sender and at least one recipient")
      return
    }
    var envelope: [String] = []
    for recipient in recipients {
      guard let address = Self.angleAddress(recipient) else {
        transfer.failSetup("invalid recipient address \"\(recipient)\"")
        return
      }
      envelope.append(address)
    }
    transfer.set(CURLOPT_URL, configuration.url)
    transfer.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
    transfer.set(CURLOPT_USE_SSL, Int(configuration.tlsPolicy.curlValue.rawValue))
    transfer.apply(configuration.tls)
    transfer.set(CURLOPT_TIMEOUT_MS, CurlTransfer.milliseconds(configuration.timeout))
    transfer.set(
      CURLOPT_CONNECTTIMEOUT_MS,
      CurlTransfer.milliseconds(min(configuration.connectTimeout, configuration.timeout)))
    if let credentials = configuration.credentials {
      transfer.set(CURLOPT_USERNAME, credentials.user)
      transfer.set(CURLOPT_PASSWORD, credentials.password)
    }
    transfer.set(CURLOPT_MAIL_FROM, sender)
    transfer.set(CURLOPT_MAIL_RCPT, list: envelope)
    _ = jc_setopt_mail_rcpt_allow_fails(
      transfer.handle, configuration.allowRecipientFailures ? 1 : 0)
    transfer.upload = message
    transfer.set(CURLOPT_UPLOAD, 1)
    transfer.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(message.count))
  }

  /// `user@example.com` or `<user@example.com>` as `<user@example.com>`; nil for text that
  /// cannot be an envelope address (control characters, brackets inside, no `@`).
  static func angleAddress(_ address: String) -> String? {
    var bare = address.trimmingSpaces()
    if bare.hasPrefix("<") && bare.hasSuffix(">") { bare = String(bare.dropFirst().dropLast()) }
    guard bare.contains("@"),
      !bare.utf8.contains(where: { $0 < 33 || $0 == 127 || $0 == 60 || $0 == 62 })
    else { return nil }
    return "<\(bare)>"
  }
}

extension CurlTLSPolicy {
  /// The `CURLOPT_USE_SSL` value.
  var curlValue: curl_usessl {
    switch self {
    case .none: return CURLUSESSL_NONE
    case .opportunistic: return CURLUSESSL_TRY
    case .required: return CURLUSESSL_ALL
    }
  }
}
