import JunctionChannels
import JunctionModel

extension TelegramAdapter {
  /// The attachments of message `m`, normalised: files carry their `file_id` as
  /// `providerFileId` (fetched later with `getFile`); stickers, locations, venues and shared
  /// contacts are described attachments without a file to fetch, except a sticker's image.
  static func attachments(of m: FieldReader) throws(FieldError) -> [Attachment] {
    var result: [Attachment] = []
    // `photo` lists the sizes of one picture, smallest first; keep the largest.
    let sizes = try m.objects("photo")
    if let largest = try largestPhoto(sizes) {
      var photo = try file(largest, kind: "image")
      photo.contentType = "image/jpeg"
      result.append(photo)
    }
    // An animation also fills `document` (Bot API compatibility); report it once.
    if let animation = try m.optionalObject("animation") {
      var attachment = try file(animation, kind: "video")
      attachment.details["animation"] = true
      result.append(attachment)
    } else if let document = try m.optionalObject("document") {
      result.append(try file(document, kind: "document"))
    }
    for (key, kind) in [("video", "video"), ("video_note", "video"), ("voice", "voice")] {
      guard let media = try m.optionalObject(key) else { continue }
      var attachment = try file(media, kind: kind)
      if key == "video_note" {
        attachment.contentType = attachment.contentType ?? "video/mp4"
        attachment.details["video_note"] = true
      }
      result.append(attachment)
    }
    if let audio = try m.optionalObject("audio") {
      var attachment = try file(audio, kind: "audio")
      let title = [try audio.optionalString("performer"), try audio.optionalString("title")]
        .compactMap { $0 }.joined(separator: " — ")
      if !title.isEmpty { attachment.caption = title }
      result.append(attachment)
    }
    if let sticker = try m.optionalObject("sticker") { result.append(try self.sticker(sticker)) }
    if let venue = try m.optionalObject("venue") {
      result.append(try place(venue))
    } else if let location = try m.optionalObject("location") {
      result.append(try self.location(location))
    }
    if let contact = try m.optionalObject("contact") { result.append(try self.contact(contact)) }
    return result
  }

  /// The biggest `PhotoSize` by pixels (the last one on ties, as Telegram orders them).
  static func largestPhoto(_ sizes: [FieldReader]) throws(FieldError) -> FieldReader? {
    var best: (reader: FieldReader, area: Int64)?
    for size in sizes {
      let area = (try size.optionalInt("width") ?? 0) * (try size.optionalInt("height") ?? 0)
      if best == nil || area >= best?.area ?? 0 { best = (size, area) }
    }
    return best?.reader
  }

  /// A file object (`Document`, `Voice`, `Video`, `PhotoSize` …) as an attachment.
  static func file(_ object: FieldReader, kind: String) throws(FieldError) -> Attachment {
    var details = JSONObject()
    if let unique = try object.optionalString("file_unique_id") {
      details["file_unique_id"] = .string(unique)
    }
    for key in ["duration", "width", "height", "length"] {
      if let value = try object.optionalInt(key) { details[key] = .int(value) }
    }
    return Attachment(
      kind: kind, contentType: try object.optionalString("mime_type"),
      filename: try object.optionalString("file_name"), size: try object.optionalInt("file_size"),
      providerFileId: try object.nonEmptyString("file_id"), details: details)
  }

  /// A sticker: its image (WebP, or TGS/WebM when animated) with the emoji as caption.
  static func sticker(_ sticker: FieldReader) throws(FieldError) -> Attachment {
    var attachment = try file(sticker, kind: "sticker")
    attachment.caption = try sticker.optionalString("emoji")
    if try sticker.optionalBool("is_animated") == true {
      attachment.contentType = "application/x-tgsticker"
      attachment.details["animated"] = true
    } else if try sticker.optionalBool("is_video") == true {
      attachment.contentType = "video/webm"
      attachment.details["video"] = true
    } else {
      attachment.contentType = "image/webp"
    }
    if let set = try sticker.optionalString("set_name") {
      attachment.details["set_name"] = .string(set)
    }
    return attachment
  }

  /// A point on the map: `details.latitude`/`longitude`.
  static func location(_ location: FieldReader) throws(FieldError) -> Attachment {
    var details: JSONObject = [
      "latitude": .double(try coordinate(location, "latitude")),
      "longitude": .double(try coordinate(location, "longitude")),
    ]
    if let accuracy = try location.optionalDouble("horizontal_accuracy") {
      details["horizontal_accuracy"] = .double(accuracy)
    }
    if let live = try location.optionalInt("live_period") { details["live_period"] = .int(live) }
    return Attachment(kind: "location", details: details)
  }

  /// A venue: its location, with the address as caption and the venue's name in details.
  static func place(_ venue: FieldReader) throws(FieldError) -> Attachment {
    var attachment = try location(try venue.object("location"))
    attachment.caption = try venue.optionalString("address")
    if let title = try venue.optionalString("title") {
      attachment.details["title"] = .string(title)
    }
    return attachment
  }

  /// A shared contact card: the name as caption, phone and names (and the Telegram user id
  /// when the contact has one) in details.
  static func contact(_ contact: FieldReader) throws(FieldError) -> Attachment {
    let first = try contact.string("first_name")
    let last = try contact.optionalString("last_name")
    var details: JSONObject = [
      "phone": .string(try contact.string("phone_number")), "first_name": .string(first),
    ]
    if let last { details["last_name"] = .string(last) }
    if let userId = try contact.optionalInt("user_id") { details["user_id"] = .int(userId) }
    if let vcard = try contact.optionalString("vcard") { details["vcard"] = .string(vcard) }
    let name = [first, last ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    details["name"] = .string(name)
    return Attachment(kind: "contact", caption: name, details: details)
  }

  static func coordinate(_ object: FieldReader, _ key: String) throws(FieldError) -> Double {
    guard let value = try object.optionalDouble(key) else {
      throw FieldError(path: object.path(key), message: "is required")
    }
    return value
  }
}
