import Foundation

/// A parsed message: the headers a mail channel needs, decoded, plus the body chosen for
/// display and the attachments. Produced by ``MIMEParser``.
public struct MailMessage: Sendable, Equatable {
  /// The MIME tree; `root.headers` are the message's headers.
  public var root: MIMEPart
  /// Defects met while parsing (empty for well-formed mail).
  public var issues: [MIMEIssue]
  /// Size of the raw message in bytes.
  public var size: Int
  /// `Subject`, encoded words decoded, whitespace runs of folding kept as written.
  public var subject: String?
  /// `From` (usually one address; RFC 5322 allows several).
  public var from: [MailAddress]
  /// `Sender`, when present.
  public var sender: MailAddress?
  /// `To` addresses, groups flattened.
  public var to: [MailAddress]
  /// `Cc` addresses, groups flattened.
  public var cc: [MailAddress]
  /// `Reply-To` addresses: where the sender wants answers to go.
  public var replyTo: [MailAddress]
  /// `Message-ID` without angle brackets.
  public var messageID: String?
  /// `In-Reply-To` ids, without angle brackets.
  public var inReplyTo: [String]
  /// `References` ids, oldest first, without angle brackets.
  public var references: [String]
  /// `Date`, when present and readable.
  public var date: Date?
  /// The best plain text of the message: the first `text/plain` body part (RFC 2046 and
  /// Python's `get_body` rules: not an attachment, the root of a `multipart/related`, never
  /// inside an embedded message), else text derived from the HTML body; nil when neither.
  public var text: String?
  /// Whether ``text`` was derived from HTML because there was no `text/plain` body.
  public var textIsFromHTML: Bool
  /// The first `text/html` body part, chosen by the same rules, decoded.
  public var html: String?
  /// Every other leaf part (attachments, inline images, embedded messages as
  /// `message/rfc822` files), depth-first in message order.
  public var attachments: [MailAttachment]

  /// Builds the view of a parsed tree (used by the parser and for embedded messages).
  public init(root: MIMEPart, issues: [MIMEIssue] = [], size: Int) {
    self.root = root
    self.size = size
    let headers = root.headers
    subject = headers.text("Subject")
    from = headers.addresses("From")
    sender = headers.addresses("Sender").first
    to = headers.addresses("To")
    cc = headers.addresses("Cc")
    replyTo = headers.addresses("Reply-To")
    messageID = headers["Message-ID"].flatMap { MessageIDList.parse($0).first }
    inReplyTo = headers.messageIDs("In-Reply-To")
    references = headers.messageIDs("References")
    date = headers["Date"].flatMap(MailDate.parse)
    var issues = issues
    let plainPath = Self.findBody(root, subtype: "plain", path: [])
    let htmlPath = Self.findBody(root, subtype: "html", path: [])
    html = htmlPath.map { Self.decodedText(of: root.descendant(at: $0), issues: &issues) }
    if let plainPath {
      text = Self.decodedText(of: root.descendant(at: plainPath), issues: &issues)
      textIsFromHTML = false
    } else if let html {
      text = HTMLText.plainText(fromHTML: html)
      textIsFromHTML = true
    } else {
      text = nil
      textIsFromHTML = false
    }
    attachments = Self.collectAttachments(root, excluding: [plainPath, htmlPath].compactMap { $0 })
    self.issues = issues
  }

  /// The headers of the message.
  public var headers: MailHeaders { root.headers }

  /// The first `From` address.
  public var fromAddress: MailAddress? { from.first }

  static func decodedText(of part: MIMEPart, issues: inout [MIMEIssue]) -> String {
    let (text, recognised) = part.decodeText()
    if !recognised, let label = part.contentType.charset {
      let issue = MIMEIssue.unknownCharset(label)
      if !issues.contains(issue) { issues.append(issue) }
    }
    return text
  }

  /// Path (child indices) of the first body part of `subtype`, following Python's
  /// `EmailMessage.get_body`: attachments are skipped, a `multipart/related` is entered only
  /// through its root (`start` parameter or first part), embedded messages are not entered.
  static func findBody(_ part: MIMEPart, subtype: String, path: [Int]) -> [Int]? {
    if part.isAttachment { return nil }
    let type = part.contentType
    if type.isText { return type.subtype == subtype ? path : nil }
    guard type.isMultipart, !part.children.isEmpty else { return nil }
    if type.subtype == "related" {
      var rootIndex = 0
      if let start = type.parameters["start"].flatMap({ MessageIDList.parse($0).first }),
        let found = part.children.firstIndex(where: { $0.contentID == start })
      {
        rootIndex = found
      }
      return findBody(part.children[rootIndex], subtype: subtype, path: path + [rootIndex])
    }
    for (index, child) in part.children.enumerated() {
      if let found = findBody(child, subtype: subtype, path: path + [index]) { return found }
    }
    return nil
  }

  static func collectAttachments(_ root: MIMEPart, excluding: [[Int]]) -> [MailAttachment] {
    var result: [MailAttachment] = []
    var stack: [(MIMEPart, [Int])] = [(root, [])]
    while let (part, path) = stack.popLast() {
      if part.contentType.isMultipart && !part.children.isEmpty {
        for (index, child) in part.children.enumerated().reversed() {
          stack.append((child, path + [index]))
        }
        continue
      }
      if excluding.contains(path) { continue }
      if part.contentType.isMultipart && part.body.isEmpty { continue }
      result.append(MailAttachment(part))
    }
    return result
  }
}

extension MIMEPart {
  /// The part at `path` (child indices) below this one; this part itself for `[]`.
  func descendant(at path: [Int]) -> MIMEPart {
    var part = self
    for index in path where index < part.children.count { part = part.children[index] }
    return part
  }
}
