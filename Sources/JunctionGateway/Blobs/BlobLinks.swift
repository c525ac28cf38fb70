import JunctionDigest
import JunctionModel

/// Time-limited links to stored files that providers can fetch without a token
/// (`GET /v1/blobs/{id}?expires=…&signature=…`): how a reply's `blob_id` attachment reaches
/// Telegram or Twilio, which take attachments by URL.
struct BlobLinks: Sendable {
  static let lifetime: Int64 = 86_400

  let publicURL: String
  let key: [UInt8]
  let clock: @Sendable () -> Timestamp

  /// A link to blob `id` valid for a day.
  func link(_ id: String) -> String {
    let expires = clock().unixSeconds + Self.lifetime
    let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    return "\(base)/v1/blobs/\(id)?expires=\(expires)&signature=\(signature(id, expires))"
  }

  /// Whether a link's parameters are genuine and not expired.
  func verify(_ id: String, expires: String?, signature given: String?) -> Bool {
    guard let expires, let seconds = Int64(expires), let given, seconds >= clock().unixSeconds
    else { return false }
    return constantTimeEquals(Array(signature(id, seconds).utf8), Array(given.utf8))
  }

  private func signature(_ id: String, _ expires: Int64) -> String {
    Hex.encode(
      HMAC<SHA256>.authenticationCode(key: key, message: Array("blob:\(id):\(expires)".utf8)))
  }

  /// `attachment` with a link in place of a bare `blob_id`, and the stored type and name.
  func resolve(_ attachment: Attachment, blobs: [String: BlobInfo]) -> Attachment {
    guard let id = attachment.blobId, attachment.url == nil else { return attachment }
    var resolved = attachment
    resolved.url = link(id)
    let info = blobs[id]
    resolved.contentType = resolved.contentType ?? info?.contentType
    resolved.filename = resolved.filename ?? info?.filename
    resolved.size = resolved.size ?? info.map { Int64($0.size) }
    return resolved
  }
}
