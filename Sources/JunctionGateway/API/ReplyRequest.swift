import JunctionChannels
import JunctionModel

/// A checked reply body: `{"text", "attachments": [{"url" | "blob_id", "content_type",
/// "filename", "kind", "caption"}], "author", "in_reply_to", "transactional"}`.
struct ReplyRequest: Sendable {
  static let fields: Set<String> = [
    "text", "attachments", "author", "in_reply_to", "transactional",
  ]
  static let maxTextLength = 100_000
  static let maxAttachments = 10

  var text: String?
  var attachments: [Attachment]
  var author: String
  var inReplyTo: String?
  var transactional: Bool

  init(_ body: FieldReader, author defaultAuthor: String) throws(FieldError) {
    text = try body.optionalString("text")
    if let text, text.count > Self.maxTextLength {
      throw FieldError(path: "text", message: "at most \(Self.maxTextLength) characters")
    }
    if text?.isEmpty == true { text = nil }
    var attachments: [Attachment] = []
    let items = try body.objects("attachments")
    guard items.count <= Self.maxAttachments else {
      throw FieldError(path: "attachments", message: "at most \(Self.maxAttachments)")
    }
    for item in items { attachments.append(try Self.attachment(item)) }
    self.attachments = attachments
    guard text != nil || !attachments.isEmpty else {
      throw FieldError(path: "text", message: "give text or attachments")
    }
    author = try body.optionalString("author") ?? defaultAuthor
    inReplyTo = try body.optionalString("in_reply_to")
    transactional = try body.optionalBool("transactional") ?? false
  }

  private static func attachment(_ item: FieldReader) throws(FieldError) -> Attachment {
    let url = try item.optionalString("url")
    let blobId = try item.optionalString("blob_id")
    guard url != nil || blobId != nil else {
      throw FieldError(path: item.path("url"), message: "give url or blob_id")
    }
    if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
      throw FieldError(path: item.path("url"), message: "expected an http(s) URL")
    }
    let contentType = try item.optionalString("content_type")
    let kind = try item.optionalString("kind") ?? Self.kind(of: contentType)
    for key in item.object.keys
    where !["url", "blob_id", "content_type", "filename", "kind", "caption"].contains(key) {
      throw FieldError(path: item.path(key), message: "unknown field")
    }
    return Attachment(
      kind: kind, url: url, contentType: contentType, filename: try item.optionalString("filename"),
      blobId: blobId, caption: try item.optionalString("caption"))
  }

  /// `image`, `audio`, `video` or `document`, from a MIME type.
  static func kind(of contentType: String?) -> String {
    let major = contentType?.split(separator: "/").first.map { $0.lowercased() } ?? ""
    switch major {
    case "image", "audio", "video": return major
    default: return "document"
    }
  }

  /// A 422 when the channel cannot carry this reply's attachments.
  func unsupported(by capabilities: ChannelCapabilities) -> CommandFailure? {
    for (index, attachment) in attachments.enumerated() {
      let kinds = capabilities.attachmentKinds
      if !kinds.contains(attachment.kind) && !(attachment.kind != "file" && kinds.contains("file"))
      {
        return .rejected(
          .error(
            422, code: "unsupported_attachment",
            message:
              "attachments[\(index)].kind: the channel cannot send \"\(attachment.kind)\" (it can send: \(kinds.isEmpty ? "no attachments" : kinds.joined(separator: ", ")))"
          ))
      }
    }
    return nil
  }
}
