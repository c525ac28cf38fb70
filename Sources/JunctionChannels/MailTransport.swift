/// A mail server Junction talks to (SMTP submission or an IMAP mailbox) and how to log in.
public struct MailServer: Sendable, Hashable, CustomStringConvertible {
  /// How a plain `smtp://` or `imap://` connection is secured (`smtps://` and `imaps://` are
  /// always implicit TLS).
  public enum StartTLS: String, Sendable, Hashable, CaseIterable {
    /// Upgrade with STARTTLS or fail.
    case required
    /// Upgrade when the server offers it, else go on in plain text.
    case opportunistic
    /// Never upgrade (a relay on loopback).
    case none
  }

  /// `smtp://host:587`, `smtps://host:465`, `imap://host:143` or `imaps://host:993`, without
  /// a path.
  public var url: String
  /// Login name; nil: no authentication (SMTP only).
  public var username: String?
  /// Password; never printed.
  public var password: String?
  /// STARTTLS on plain URLs.
  public var startTLS: StartTLS
  /// Check the server's certificate chain and name (off only for tests).
  public var verifyPeer: Bool
  /// A PEM bundle of trusted certificates instead of the system store (self-signed test CAs).
  public var caFile: String?
  /// Seconds for one command or one submission.
  public var timeout: Double

  /// A server description; STARTTLS required and certificates verified by default.
  public init(
    url: String, username: String? = nil, password: String? = nil,
    startTLS: StartTLS = .required, verifyPeer: Bool = true, caFile: String? = nil,
    timeout: Double = 60
  ) {
    self.url = url
    self.username = username
    self.password = password
    self.startTLS = startTLS
    self.verifyPeer = verifyPeer
    self.caFile = caFile
    self.timeout = timeout
  }

  /// The URL and user, never the password.
  public var description: String { "\(username.map { "\($0)@" } ?? "")\(url)" }
}

/// What an SMTP server said about one submission.
public struct MailSubmissionResult: Sendable, Equatable {
  /// The three outcomes the outbox acts on.
  public enum Outcome: String, Sendable, Equatable {
    /// The server took responsibility for the message.
    case accepted
    /// A 4xx reply, a timeout or connection trouble: try again later.
    case temporaryFailure
    /// A 5xx reply or a request that can never succeed: fail the message.
    case permanentFailure
  }

  /// What the outbox does with the message.
  public var outcome: Outcome
  /// The deciding SMTP reply code; nil when the server never answered.
  public var replyCode: Int?
  /// The deciding reply's text, or what went wrong without a reply.
  public var replyText: String

  /// Makes a result.
  public init(outcome: Outcome, replyCode: Int? = nil, replyText: String = "") {
    self.outcome = outcome
    self.replyCode = replyCode
    self.replyText = replyText
  }
}

/// A mailbox's identity and size as the server announces it on `SELECT`.
public struct MailboxStatus: Sendable, Equatable {
  /// `UIDVALIDITY`: when it changes, every UID seen before is meaningless.
  public var uidValidity: UInt32?
  /// `UIDNEXT`: the UID the next message will get (at least).
  public var uidNext: UInt32?
  /// How many messages the mailbox holds.
  public var exists: Int?

  /// Makes a status.
  public init(uidValidity: UInt32? = nil, uidNext: UInt32? = nil, exists: Int? = nil) {
    self.uidValidity = uidValidity
    self.uidNext = uidNext
    self.exists = exists
  }
}

/// Why a mailbox command failed.
public struct MailboxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The families callers act on differently.
  public enum Kind: String, Sendable, Equatable {
    /// No connection, a broken one, a timeout or TLS trouble: the server may be down.
    case connection
    /// The server refused the credentials.
    case login
    /// The message (UID) or mailbox does not exist.
    case notFound
    /// The message is larger than allowed.
    case tooLarge
    /// The server refused a command or answered nonsense.
    case refused
  }

  /// The family of the failure.
  public var kind: Kind
  /// What happened, in the server's or libcurl's words.
  public var message: String

  /// Makes an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { "\(kind.rawValue): \(message)" }
}

/// One logged-in IMAP session on a server; the connection is kept between calls and replaced
/// when it breaks. Calls from several tasks run one after the other.
public protocol MailboxSession: Sendable {
  /// Selects `mailbox` read-write and returns its status.
  func select(_ mailbox: String) async throws(MailboxError) -> MailboxStatus
  /// UIDs matching an IMAP search (`ALL`, `UNSEEN`, `UID 5:*`), ascending.
  func searchUIDs(in mailbox: String, criteria: String) async throws(MailboxError) -> [UInt32]
  /// The whole raw message `uid`; `.tooLarge` beyond `maxBytes`, `.notFound` when gone.
  func fetchMessage(uid: UInt32, in mailbox: String, maxBytes: Int) async throws(MailboxError)
    -> [UInt8]
  /// Sets `\Seen` on `uid`.
  func markSeen(uid: UInt32, in mailbox: String) async throws(MailboxError)
  /// Moves `uid` to `destination` (which must exist).
  func move(uid: UInt32, from mailbox: String, to destination: String) async throws(MailboxError)
  /// Creates `mailbox` unless it exists.
  func createMailboxIfMissing(_ mailbox: String) async throws(MailboxError)
  /// Closes the connection; the next call reconnects.
  func disconnect() async
}

/// How an e-mail channel reaches mail servers. The gateway implements it over libcurl
/// (`JunctionCurl`) and hands it to adapters in ``AdapterContext/mail``; tests substitute
/// stand-ins.
public protocol MailTransport: Sendable {
  /// Submits `message` (complete RFC 5322 bytes, CRLF line ends) from the envelope sender
  /// `from` to every address in `recipients`. Never throws: every failure is classified.
  func submit(_ message: [UInt8], from: String, recipients: [String], via server: MailServer)
    async -> MailSubmissionResult
  /// A session on an IMAP server; nothing connects before the first command.
  func mailbox(on server: MailServer) -> any MailboxSession
}
