/// One node of a parsed message: a leaf with a body, a multipart with children, or an
/// embedded message (`message/rfc822`) whose single child is the embedded message's root.
public struct MIMEPart: Sendable, Equatable {
  /// The part's own header fields (for the root: the message's headers).
  public var headers: MailHeaders
  /// The effective content type: as declared, else the RFC 2045 default (`text/plain`, or
  /// `message/rfc822` inside `multipart/digest`).
  public var contentType: ContentType
  /// The `Content-Disposition`, when present.
  public var disposition: ContentDisposition?
  /// The lowercased `Content-Transfer-Encoding` (`7bit` when absent).
  public var transferEncoding: String
  /// The body with its transfer encoding undone (for an embedded message: the message's
  /// raw bytes; for a multipart: empty).
  public var body: [UInt8]
  /// Sub-parts of a multipart, or the root of an embedded message.
  public var children: [MIMEPart]

  /// A part as the parser builds it.
  public init(
    headers: MailHeaders, contentType: ContentType, disposition: ContentDisposition? = nil,
    transferEncoding: String = "7bit", body: [UInt8] = [], children: [MIMEPart] = []
  ) {
    self.headers = headers
    self.contentType = contentType
    self.disposition = disposition
    self.transferEncoding = transferEncoding
    self.body = body
    self.children = children
  }

  /// The `Content-ID` without angle brackets, if any.
  public var contentID: String? {
    guard let value = headers["Content-ID"] else { return nil }
    return MessageIDList.parse(value).first ?? nilIfEmpty(value.trimmingASCIIWhitespace())
  }

  /// The attachment's name: `filename` of the disposition, else `name` of the content type
  /// (both decoded from RFC 2231 or RFC 2047).
  public var filename: String? {
    nilIfEmpty(disposition?.filename) ?? nilIfEmpty(contentType.name)
  }

  /// Whether the disposition says `attachment`.
  public var isAttachment: Bool { disposition?.isAttachment ?? false }

  /// The body as text in its declared charset (unknown or missing charsets are guessed),
  /// line ends normalised to LF, `format=flowed` paragraphs joined (RFC 3676).
  public var text: String { decodeText().text }

  /// The body as text, and whether the charset label was recognised.
  func decodeText() -> (text: String, recognised: Bool) {
    let decoded = Charset.decode(body[...], label: contentType.charset)
    var text = Self.normalizeNewlines(decoded.text)
    if contentType.mimeType == "text/plain",
      contentType.parameters["format"]?.asciiLowercased() == "flowed"
    {
      let delSp = contentType.parameters["delsp"]?.asciiLowercased() == "yes"
      text = FlowedText.unflow(text, delSp: delSp)
    }
    return (text, decoded.recognised)
  }

  /// The embedded message of a `message/rfc822` part, if parsed.
  public var embeddedMessage: MailMessage? {
    guard contentType.isEmbeddedMessage, let root = children.first else { return nil }
    return MailMessage(root: root, size: body.count)
  }

  /// Every part of this subtree, depth-first, this part first (embedded messages included).
  public var allParts: [MIMEPart] {
    var result: [MIMEPart] = []
    var stack: [MIMEPart] = [self]
    while let part = stack.popLast() {
      result.append(part)
      stack.append(contentsOf: part.children.reversed())
    }
    return result
  }

  /// CRLF and lone CR become LF.
  static func normalizeNewlines(_ text: String) -> String {
    guard text.utf8.contains(0x0D) else { return text }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var previousCR = false
    for byte in text.utf8 {
      if byte == 0x0D {
        bytes.append(0x0A)
        previousCR = true
        continue
      }
      if byte == 0x0A && previousCR {
        previousCR = false
        continue
      }
      previousCR = false
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

func nilIfEmpty(_ text: String?) -> String? {
  guard let text, !text.isEmpty else { return nil }
  return text
}
