/// A file, picture, location or other non-text part of a message.
///
/// Providers describe attachments differently; adapters normalise them to this shape. `kind`
/// says what it is; `url` is where the provider serves it (if anywhere), `blobId` where
/// Junction stored its own copy (served by `GET /v1/attachments/{id}`).
public struct Attachment: Sendable, Equatable {
  /// `image`, `document`, `audio`, `voice`, `video`, `sticker`, `location`, `contact` or `file`.
  public var kind: String
  public var url: String?
  public var contentType: String?
  public var filename: String?
  public var size: Int64?
  /// Id of Junction's stored copy, once fetched.
  public var blobId: String?
  /// Provider-specific id (Telegram `file_id`, WhatsApp media id) used to fetch it.
  public var providerFileId: String?
  /// A human description (sticker emoji, contact name, location address).
  public var caption: String?
  /// Extra structured data (latitude/longitude, shared contact's phone).
  public var details: JSONObject

  public init(
    kind: String = "file", url: String? = nil, contentType: String? = nil,
    filename: String? = nil, size: Int64? = nil, blobId: String? = nil,
    providerFileId: String? = nil, caption: String? = nil, details: JSONObject = JSONObject()
  ) {
    self.kind = kind
    self.url = url
    self.contentType = contentType
    self.filename = filename
    self.size = size
    self.blobId = blobId
    self.providerFileId = providerFileId
    self.caption = caption
    self.details = details
  }

  /// The JSON form used in events and API responses (absent fields omitted).
  public var json: JSON {
    var object: JSONObject = ["kind": .string(kind)]
    if let url { object["url"] = .string(url) }
    if let contentType { object["content_type"] = .string(contentType) }
    if let filename { object["filename"] = .string(filename) }
    if let size { object["size"] = .int(size) }
    if let blobId { object["blob_id"] = .string(blobId) }
    if let providerFileId { object["provider_file_id"] = .string(providerFileId) }
    if let caption { object["caption"] = .string(caption) }
    if !details.isEmpty { object["details"] = .object(details) }
    return .object(object)
  }

  /// Reads the JSON form back.
  public init(json: JSON, path: String = "attachment") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    kind = try reader.optionalString("kind") ?? "file"
    url = try reader.optionalString("url")
    contentType = try reader.optionalString("content_type")
    filename = try reader.optionalString("filename")
    size = try reader.optionalInt("size")
    blobId = try reader.optionalString("blob_id")
    providerFileId = try reader.optionalString("provider_file_id")
    caption = try reader.optionalString("caption")
    details = try reader.optionalObject("details")?.object ?? JSONObject()
  }
}
