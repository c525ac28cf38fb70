import JunctionChannels
import JunctionModel

/// Messenger's `message.attachments[]` items in Junction's terms.
///
/// `image` → `image` (or `sticker` when its payload has a `sticker_id`), `sticker` →
/// `sticker`, `video`, `audio` → same, `file` → `document`, `reel`/`ig_reel` → `video`,
/// `location` (older clients: `payload.coordinates.lat/long`) → `location`; `fallback` (a
/// shared link), `template`, `post`, `ig_post` and other shares → `link` with the URL and
/// title. Files are served from Meta's CDN at `payload.url` without a token.
enum MessengerAttachment {
  static func attachment(_ item: FieldReader) throws(FieldError) -> Attachment {
    let type = try item.optionalString("type") ?? "fallback"
    let payload = try item.optionalObject("payload")
    var url = try payload?.optionalString("url")
    if url == nil { url = try item.optionalString("url") }
    if url == nil { url = try item.optionalString("URL") }
    var title = try payload?.optionalString("title")
    if title == nil { title = try item.optionalString("title") }
    var details: JSONObject = ["type": .string(type)]
    if let sticker = payload?.value("sticker_id") { details["sticker_id"] = sticker }
    switch type {
    case "image", "sticker":
      let kind = details["sticker_id"] != nil || type == "sticker" ? "sticker" : "image"
      return Attachment(kind: kind, url: url, details: details)
    case "video", "audio":
      return Attachment(kind: type, url: url, details: details)
    case "file":
      return Attachment(kind: "document", url: url, filename: filename(url), details: details)
    case "reel", "ig_reel":
      return Attachment(kind: "video", url: url, caption: title, details: details)
    case "location":
      if let coordinates = try payload?.optionalObject("coordinates") {
        details["latitude"] = .optionalNumber(try coordinates.optionalDouble("lat"))
        details["longitude"] = .optionalNumber(try coordinates.optionalDouble("long"))
      }
      if let url { details["url"] = .string(url) }
      return Attachment(kind: "location", caption: title, details: details)
    default:
      return Attachment(kind: "link", url: url, caption: title, details: details)
    }
  }

  /// The last path segment of a CDN URL (`…/receipt.pdf?_nc_cat=…` → `receipt.pdf`).
  static func filename(_ url: String?) -> String? {
    guard let url, let path = url.split(separator: "?").first,
      let last = path.split(separator: "/").last, last.contains(".")
    else { return nil }
    return String(last)
  }
}

extension JSON {
  /// `.double(value)` or `.null`.
  fileprivate static func optionalNumber(_ value: Double?) -> JSON {
    value.map(JSON.double) ?? .null
  }
}
