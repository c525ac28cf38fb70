import JunctionHTTP
import JunctionModel

/// The mailbox an e-mail channel polls, as its settings describe it.
public struct MailboxSettings: Sendable, Equatable {
  /// The IMAP server (`imap_url` without the mailbox, `username`, `password`).
  public var server: MailServer
  /// The mailbox to poll (`imap_url`'s path; `INBOX` when none).
  public var mailbox: String
  /// Where journaled messages are moved; nil: they are marked `\Seen` and stay.
  public var processedFolder: String?
  /// Seconds between polls.
  public var pollInterval: Double
  /// Messages journaled in one batch (one journal write).
  public var batchSize: Int

  /// Makes settings.
  public init(
    server: MailServer, mailbox: String = "INBOX", processedFolder: String? = nil,
    pollInterval: Double = 60, batchSize: Int = 10
  ) {
    self.server = server
    self.mailbox = mailbox
    self.processedFolder = processedFolder
    self.pollInterval = pollInterval
    self.batchSize = batchSize
  }
}

/// One raw message turned into what the gateway journals and the files it stores first.
public struct ParsedMail: Sendable, Equatable {
  /// The customer message, delivery status or nothing (unusable mail).
  public var item: InboundItem?
  /// For a `.message`: the bytes of each attachment, in the order of
  /// `InboundMessage.attachments`; nil for one described but not kept.
  public var files: [[UInt8]?]
  /// Why the mail is not a customer message (`automatic`, `delivery_report`), for logs.
  public var note: String?

  /// Makes a result.
  public init(item: InboundItem?, files: [[UInt8]?] = [], note: String? = nil) {
    self.item = item
    self.files = files
    self.note = note
  }
}

/// An adapter whose channel carries raw RFC 5322 mail (the `email` adapter).
///
/// The gateway serves such channels itself rather than through
/// ``ChannelAdapter/receive(_:now:)``: its mail intake stores the raw message and every file
/// in the blob store before journaling (a mail server's delivery is acknowledged only once
/// everything is durable), for both `POST /v1/inbound/{channel}` and the mailbox it polls.
/// All methods are pure and quick apart from parsing; none does I/O.
public protocol MailChannelAdapter: ChannelAdapter {
  /// The mailbox to poll; nil when the channel only receives by HTTP.
  var mailbox: MailboxSettings? { get }
  /// The largest raw message accepted, in bytes.
  var maxMessageBytes: Int { get }
  /// Checks an HTTP delivery of raw mail (bearer token, content type, size): nil when it is
  /// acceptable, else the answer to refuse it with (401, 415, 413).
  func checkRawMail(_ request: HTTPRequest) -> HTTPResponse?
  /// Parses one raw message: its text, sender, threading and files, or a delivery status.
  func parseMail(_ raw: [UInt8]) -> ParsedMail
}
