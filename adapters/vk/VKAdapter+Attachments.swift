import JunctionChannels
import JunctionModel

/// VK photo size letters from smallest to largest, for sizes reported without dimensions.
private let photoSizeOrder = Array("smxopqryzw")

extension VKAdapter {
  /// The message's `attachments`, normalised. Photos, documents, voice messages, graffiti and
  /// sticker images carry their file URL as both `url` and `providerFileId` (what `download`
  /// fetches); videos, audio without a URL, wall posts, links and the rest are described
  /// attachments with nothing to fetch (`details.vk_type` names the VK type).
  static func attachments(of m: FieldReader) throws(FieldError) -> [Attachment] {
    var result: [Attachment] = []
    for item in try m.objects("attachments") {
      let type = try item.string("type")
      // Types Junction does not read may be shaped any way: never fail the message on them.
      let object = (try? item.optionalObject(type)) ?? nil
      var attachment: Attachment
      switch (type, object) {
      case ("photo", let photo?): attachment = try self.photo(photo)
      case ("doc", let doc?): attachment = try document(doc)
      case ("audio_message", let voice?): attachment = try self.voice(voice)
      case ("audio", let audio?): attachment = try self.audio(audio)
      case ("video", let video?): attachment = try self.video(video)
      case ("sticker", let sticker?): attachment = try self.sticker(sticker)
      case ("graffiti", let graffiti?):
        attachment = fetchable(kind: "image", url: try graffiti.optionalString("url"))
      default:
        attachment = Attachment(kind: "file", caption: "VK \(type)")
      }
      attachment.details["vk_type"] = .string(type)
      if let object, let owner = object.value("owner_id")?.intValue,
        let id = object.value("id")?.intValue
      {
        attachment.details["vk_id"] = .string("\(type)\(owner)_\(id)")
      }
      result.append(attachment)
    }
    return result
  }

  /// An attachment whose file is at `url` (when there is one).
  static func fetchable(kind: String, url: String?) -> Attachment {
    let link = (url ?? "").isEmpty ? nil : url
    return Attachment(kind: kind, url: link, providerFileId: link)
  }

  /// A photo: the largest of its `sizes` (and `orig_photo`), by pixels, else by size letter.
  static func photo(_ photo: FieldReader) throws(FieldError) -> Attachment {
    var candidates = try photo.objects("sizes")
    if let original = try photo.optionalObject("orig_photo") { candidates.append(original) }
    var best: (url: String, area: Int64, rank: Int, width: Int64, height: Int64)?
    for size in candidates {
      let source = try size.optionalString("src")
      guard let url = try size.optionalString("url") ?? source else { continue }
      let width = try size.optionalInt("width") ?? 0
      let height = try size.optionalInt("height") ?? 0
      let letter = try size.optionalString("type")?.first
      let rank = letter.flatMap { photoSizeOrder.firstIndex(of: $0) } ?? -1
      let candidate = (url, width * height, rank, width, height)
      if let current = best, (current.area, current.rank) >= (candidate.1, candidate.2) {
        continue
      }
      best = candidate
    }
    var attachment = fetchable(kind: "image", url: best?.url)
    attachment.contentType = "image/jpeg"
    if let best, best.width > 0 {
      attachment.details["width"] = .int(best.width)
      attachment.details["height"] = .int(best.height)
    }
    if let caption = try photo.optionalString("text"), !caption.isEmpty {
      attachment.caption = caption
    }
    return attachment
  }

  /// A document: its title as file name, size and extension.
  static func document(_ doc: FieldReader) throws(FieldError) -> Attachment {
    var attachment = fetchable(kind: "document", url: try doc.optionalString("url"))
    let title = try doc.optionalString("title")
    let ext = try doc.optionalString("ext")
    if let title, let ext, !ext.isEmpty, !title.lowercased().hasSuffix("." + ext.lowercased()) {
      attachment.filename = "\(title).\(ext)"
    } else {
      attachment.filename = title
    }
    attachment.size = try doc.optionalInt("size")
    attachment.contentType = ext.flatMap { contentTypes[$0.lowercased()] }
    return attachment
  }

  /// A voice message: the OGG/Opus file (MP3 when that is all there is), duration and VK's
  /// transcript when present.
  static func voice(_ voice: FieldReader) throws(FieldError) -> Attachment {
    let ogg = try voice.optionalString("link_ogg")
    let mp3 = try voice.optionalString("link_mp3")
    var attachment = fetchable(kind: "voice", url: ogg ?? mp3)
    attachment.contentType = ogg != nil ? "audio/ogg" : (mp3 != nil ? "audio/mpeg" : nil)
    if let duration = try voice.optionalInt("duration") {
      attachment.details["duration"] = .int(duration)
    }
    if let transcript = try voice.optionalString("transcript"), !transcript.isEmpty {
      attachment.details["transcript"] = .string(transcript)
    }
    return attachment
  }

  /// A music track: artist — title as caption; its URL is often withheld by VK.
  static func audio(_ audio: FieldReader) throws(FieldError) -> Attachment {
    var attachment = fetchable(kind: "audio", url: try audio.optionalString("url"))
    let artist = try audio.optionalString("artist")
    let title = try audio.optionalString("title")
    let caption = [artist, title].compactMap { $0 }.joined(separator: " — ")
    attachment.caption = caption.isEmpty ? nil : caption
    if let duration = try audio.optionalInt("duration") {
      attachment.details["duration"] = .int(duration)
    }
    return attachment
  }

  /// A video: VK gives no file URL, only the video's page (in `details.link`).
  static func video(_ video: FieldReader) throws(FieldError) -> Attachment {
    var attachment = Attachment(kind: "video", caption: try video.optionalString("title"))
    if let owner = try video.optionalInt("owner_id"), let id = try video.optionalInt("id") {
      attachment.details["link"] = .string("https://vk.com/video\(owner)_\(id)")
    }
    if let duration = try video.optionalInt("duration") {
      attachment.details["duration"] = .int(duration)
    }
    return attachment
  }

  /// A sticker: its largest image (VK stickers carry no emoji).
  static func sticker(_ sticker: FieldReader) throws(FieldError) -> Attachment {
    var images = try sticker.objects("images")
    if images.isEmpty { images = try sticker.objects("images_with_background") }
    var best: (url: String, width: Int64)?
    for image in images {
      guard let url = try image.optionalString("url") else { continue }
      let width = try image.optionalInt("width") ?? 0
      if best == nil || width > best?.width ?? 0 { best = (url, width) }
    }
    var attachment = fetchable(kind: "sticker", url: best?.url)
    attachment.contentType = best == nil ? nil : "image/png"
    for key in ["sticker_id", "product_id"] {
      if let value = try sticker.optionalInt(key) { attachment.details[key] = .int(value) }
    }
    return attachment
  }

  /// The message's `geo`: a point, with the place's name as caption when VK names it.
  static func location(_ geo: FieldReader) throws(FieldError) -> Attachment {
    let coordinates = try geo.object("coordinates")
    guard let latitude = try coordinates.optionalDouble("latitude"),
      let longitude = try coordinates.optionalDouble("longitude")
    else {
      throw FieldError(path: coordinates.path, message: "latitude and longitude are required")
    }
    var attachment = Attachment(
      kind: "location", details: ["latitude": .double(latitude), "longitude": .double(longitude)])
    if let place = try geo.optionalObject("place") {
      let title = try place.optionalString("title") ?? ""
      let city = try place.optionalString("city")
      let country = try place.optionalString("country")
      let area = [city, country].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
      let caption = title.isEmpty ? area : title
      attachment.caption = caption.isEmpty ? nil : caption
    }
    return attachment
  }

  /// Content types of common document extensions.
  static let contentTypes: [String: String] = [
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
    "gif": "image/gif", "txt": "text/plain", "zip": "application/zip",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "mp3": "audio/mpeg", "ogg": "audio/ogg", "mp4": "video/mp4",
  ]
}
