import JunctionModel

/// A leaf part that is not the message's text or HTML body: a file, an inline image, or an
/// embedded message.
public struct MailAttachment: Sendable, Equatable {
  /// The name the sender gave (disposition `filename`, else content type `name`), decoded.
  public var filename: String?
  /// Lowercased `type/subtype`.
  public var contentType: String
  /// `Content-ID` without angle brackets (how HTML refers to an inline image: `cid:…`).
  public var contentID: String?
  /// The lowercased disposition type (`attachment`, `inline`), when given.
  public var disposition: String?
  /// The decoded bytes.
  public var data: [UInt8]

  /// An attachment with its decoded bytes.
  public init(
    filename: String?, contentType: String, contentID: String? = nil,
    disposition: String? = nil, data: [UInt8]
  ) {
    self.filename = filename
    self.contentType = contentType
    self.contentID = contentID
    self.disposition = disposition
    self.data = data
  }

  init(_ part: MIMEPart) {
    self.init(
      filename: part.filename, contentType: part.contentType.mimeType, contentID: part.contentID,
      disposition: part.disposition?.type, data: part.body)
  }

  /// Size of the decoded bytes.
  public var size: Int { data.count }

  /// Whether the part is meant to be shown inside the message (an inline image): disposition
  /// `inline`, or no disposition and a `Content-ID`.
  public var isInline: Bool {
    disposition == "inline" || (disposition == nil && contentID != nil)
  }

  /// The model's description of this attachment (kind from the media type; no blob id yet).
  public var modelAttachment: Attachment {
    let kind: String
    switch contentType.split(separator: "/").first ?? "" {
    case "image": kind = "image"
    case "audio": kind = "audio"
    case "video": kind = "video"
    default: kind = "document"
    }
    var details = JSONObject()
    if let contentID { details["content_id"] = .string(contentID) }
    if isInline { details["inline"] = .bool(true) }
    return Attachment(
      kind: kind, contentType: contentType, filename: filename, size: Int64(size),
      details: details)
  }
}
