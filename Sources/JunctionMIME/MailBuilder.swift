import Foundation

/// Builds the RFC 5322 message Junction sends by SMTP: headers encoded and folded, CRLF line
/// ends, a text/plain part alone or multipart/alternative with HTML, inline images in
/// multipart/related, attachments in multipart/mixed.
///
/// ```swift
/// var mail = MailBuilder(
///   from: MailAddress("support@example.com", name: "Служба поддержки"),
///   to: [MailAddress("ivan@example.ru")], subject: MailSubject.reply(to: original, token: "K7QX2M9D"))
/// mail.inReplyTo = customerMessageID
/// mail.references = previousReferences + [customerMessageID]
/// mail.text = "Здравствуйте! …"
/// let built = try mail.build()   // built.bytes go to SMTP, built.messageID to the journal
/// ```
public struct MailBuilder: Sendable {
  /// A file to attach.
  public struct Attachment: Sendable, Equatable {
    /// The name shown to the recipient (any Unicode; encoded per RFC 2231 and 2047).
    public var filename: String
    /// `type/subtype`; anything malformed is sent as `application/octet-stream`.
    public var contentType: String
    /// The file's bytes (sent base64, wrapped at 76 columns).
    public var data: [UInt8]
    /// Set to show the file inside the HTML body (`<img src="cid:…">`); without HTML the
    /// file is attached normally.
    public var contentID: String?

    /// A file to attach; give `contentID` to show it inline in the HTML body.
    public init(filename: String, contentType: String, data: [UInt8], contentID: String? = nil) {
      self.filename = filename
      self.contentType = contentType
      self.data = data
      self.contentID = contentID
    }
  }

  /// The result of ``build()``.
  public struct Built: Sendable, Equatable {
    /// The whole message, CRLF line ends, ready for SMTP `DATA`.
    public var bytes: [UInt8]
    /// The `Message-ID`, without angle brackets.
    public var messageID: String
  }

  /// The sender; a non-ASCII display name is RFC 2047-encoded.
  public var from: MailAddress
  /// The recipients shown in `To` (envelope recipients are the SMTP caller's business).
  public var to: [MailAddress]
  /// The recipients shown in `Cc`.
  public var cc: [MailAddress] = []
  /// Where replies should go (`Reply-To`), when not to `From`.
  public var replyTo: [MailAddress] = []
  /// The subject; encoded when non-ASCII, folded at 78 columns, line breaks become spaces.
  public var subject: String
  /// The `Date` header (written in UTC); now by default.
  public var date: Date = Date()
  /// Without angle brackets; generated from ``domain`` when nil.
  public var messageID: String?
  /// Right-hand side of a generated `Message-ID`; the `From` domain when nil.
  public var domain: String?
  /// The id of the message answered, without angle brackets.
  public var inReplyTo: String?
  /// The thread so far, oldest first, without angle brackets.
  public var references: [String] = []
  /// Adds `Auto-Submitted: auto-replied` (for bot answers, RFC 3834).
  public var autoSubmitted = false
  /// More fields, written after the standard ones (ASCII names; values encoded as needed).
  public var extraHeaders: [MailHeader] = []
  /// The plain text body.
  public var text: String?
  /// The HTML body; when given without ``text``, a text version is derived from it.
  public var html: String?
  /// Files to attach (and inline images, when ``html`` is set).
  public var attachments: [Attachment] = []

  /// A message from `from` to `to` about `subject`; set the other properties before building.
  public init(from: MailAddress, to: [MailAddress], subject: String) {
    self.from = from
    self.to = to
    self.subject = subject
  }

  /// Builds the message with the system random generator (boundaries, message id).
  public func build() throws(MIMEError) -> Built {
    var generator = SystemRandomNumberGenerator()
    return try build(using: &generator)
  }

  /// Builds the message, drawing boundaries and the generated message id from `generator`.
  public func build<Generator: RandomNumberGenerator>(using generator: inout Generator)
    throws(MIMEError) -> Built
  {
    let id =
      try messageID.map(Self.checkedID)
      ?? Self.makeMessageID(
        domain: domain ?? from.domain, using: &generator)
    var head = ""
    head += "Date: \(MailDate.format(date))\r\n"
    head += try Self.addressField("From", [from])
    if !replyTo.isEmpty { head += try Self.addressField("Reply-To", replyTo) }
    if !to.isEmpty { head += try Self.addressField("To", to) }
    if !cc.isEmpty { head += try Self.addressField("Cc", cc) }
    head += HeaderEncoder.unstructured("Subject", subject)
    head += "Message-ID: <\(id)>\r\n"
    if let inReplyTo { head += "In-Reply-To: <\(try Self.checkedID(inReplyTo))>\r\n" }
    var thread: [String] = []
    for reference in references { thread.append("<\(try Self.checkedID(reference))>") }
    if !thread.isEmpty { head += HeaderEncoder.fold("References", thread) }
    if autoSubmitted { head += "Auto-Submitted: auto-replied\r\n" }
    for field in extraHeaders {
      try Self.checkName(field.name)
      head += HeaderEncoder.unstructured(field.name, field.value)
    }
    head += "MIME-Version: 1.0\r\n"
    let body = bodyEntity(using: &generator)
    return Built(bytes: Array(head.utf8) + body.bytes(), messageID: id)
  }

  /// A fresh message id: `<time>.<random>@domain` (without angle brackets).
  public static func makeMessageID<Generator: RandomNumberGenerator>(
    domain: String, using generator: inout Generator
  ) -> String {
    let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    let random = String(generator.next(), radix: 36) + String(generator.next() >> 32, radix: 36)
    let host = domain.isEmpty ? "junction.invalid" : domain
    return "\(String(millis, radix: 36)).\(random)@\(host)"
  }
}
