import CCurl

/// One IMAP command's outcome: the server's lines, the data libcurl wrote (a fetched message,
/// untagged responses of custom commands), and the error when it failed.
struct IMAPExchange {
  var transcript: [String]
  var body: [UInt8]
  var error: CurlError?
}

/// The easy handle of one IMAP session and what it knows about its connection. Confined to
/// the session's serial queue: every method runs there and blocks it while libcurl works.
final class IMAPConnection: @unchecked Sendable {
  private let configuration: CurlIMAPSession.Configuration
  private let server: String
  private var transfer: CurlTransfer?
  /// The server's capabilities as last announced on this connection.
  private(set) var capabilities: Set<String>?

  init(configuration: CurlIMAPSession.Configuration) {
    self.configuration = configuration
    server = Self.serverPart(configuration.url)
  }

  /// Runs one command: `path` is the URL path after the server (a mailbox, `MAILBOX;UID=n`,
  /// or empty), `command` a custom command (`UID SEARCH …`), `upload` an APPEND's message.
  /// A connection that broke (server restarted, idle link dropped) is replaced once and the
  /// command retried when `retry` allows it.
  func run(
    path: String = "", command: String? = nil, upload: [UInt8]? = nil, maxBytes: Int = .max,
    retry: Bool = true
  ) -> IMAPExchange {
    if let command, command.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
      let error = CurlError(
        kind: .invalidRequest, code: 0, message: "an IMAP command contains a line break",
        url: CurlURL.redacted(server))
      return IMAPExchange(transcript: [], body: [], error: error)
    }
    var exchange = attempt(
      path: path, command: command, upload: upload, maxBytes: maxBytes,
      fresh: false)
    if retry, let error = exchange.error,
      error.kind == .connectionLost || error.kind == .connectionFailed
    {
      exchange = attempt(
        path: path, command: command, upload: upload, maxBytes: maxBytes,
        fresh: true)
    }
    return exchange
  }

  /// Closes the connection (libcurl logs out) so the next command opens a new one.
  func disconnect() {
    transfer = nil
    capabilities = nil
  }

  private func attempt(
    path: String, command: String?, upload: [UInt8]?, maxBytes: Int, fresh: Bool
  ) -> IMAPExchange {
    let transfer: CurlTransfer
    if let existing = self.transfer {
      transfer = existing
      transfer.reset()
    } else {
      do {
        transfer = try CurlTransfer()
      } catch {
        return IMAPExchange(transcript: [], body: [], error: error)
      }
      self.transfer = transfer
    }
    let url = server + "/" + path
    transfer.displayURL = CurlURL.redacted(url)
    transfer.headerMode = .transcript
    transfer.set(CURLOPT_URL, url)
    transfer.set(CURLOPT_PROTOCOLS_STR, "imap,imaps")
    transfer.set(CURLOPT_USERNAME, configuration.credentials.user)
    transfer.set(CURLOPT_PASSWORD, configuration.credentials.password)
    transfer.set(CURLOPT_USE_SSL, Int(configuration.tlsPolicy.curlValue.rawValue))
    transfer.apply(configuration.tls)
    transfer.set(CURLOPT_TIMEOUT_MS, CurlTransfer.milliseconds(configuration.timeout))
    transfer.set(
      CURLOPT_CONNECTTIMEOUT_MS,
      CurlTransfer.milliseconds(min(configuration.connectTimeout, configuration.timeout)))
    transfer.set(CURLOPT_TCP_KEEPALIVE, 1)
    if fresh { transfer.set(CURLOPT_FRESH_CONNECT, 1) }
    if let command { transfer.set(CURLOPT_CUSTOMREQUEST, command) }
    if let upload {
      transfer.upload = upload
      transfer.set(CURLOPT_UPLOAD, 1)
      transfer.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
    }
    if maxBytes != .max {
      transfer.maxBodyBytes = maxBytes
      transfer.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(maxBytes))
    }
    if let error = transfer.checkSetup() {
      return IMAPExchange(transcript: [], body: [], error: error)
    }
    let code = transfer.performBlocking()
    let transcript = transfer.transcript
    if let announced = IMAPResponseParser.capabilities(transcript) { capabilities = announced }
    guard code != CURLE_OK else {
      return IMAPExchange(transcript: transcript, body: transfer.body, error: nil)
    }
    var error = transfer.error(for: code)
    // libcurl 7.88 reports a refused SELECT (missing mailbox) as CURLE_LOGIN_DENIED.
    if error.kind == .loginDenied && error.message.hasPrefix("Select failed") {
      error.kind = .notFound
    }
    if let completion = IMAPResponseParser.taggedCompletion(transcript),
      completion.status != "OK"
    {
      error.message = "server answered: \(completion.text)"
      if error.kind == .other { error.kind = .protocolError }
    }
    if error.kind == .connectionLost || error.kind == .connectionFailed {
      capabilities = nil
    }
    return IMAPExchange(transcript: transcript, body: transfer.body, error: error)
  }

  /// `scheme://user@host:port` of a URL, without path, query or trailing slash.
  static func serverPart(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    let rest = url[schemeEnd.upperBound...]
    let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    return String(url[..<end])
  }
}
