import JunctionChannels
import JunctionModel

/// What one WhatsApp `messages[]` entry says, in Junction's terms: its text (or caption), its
/// attachments, the message it answers and channel details.
///
/// - `text` → text; `image`, `video`, `document` → attachment with the caption as text;
///   `audio` → `voice` (recorded in WhatsApp, `audio.voice: true`) or `audio`; `sticker` →
///   `sticker` attachment. Media carry their WhatsApp media id as `providerFileId`, fetched by
///   ``WhatsAppAdapter/download(_:transport:maxBytes:)``.
/// - `location` → `location` attachment (coordinates in details, name and address as caption);
///   `contacts` → one `contact` attachment per shared card (the card in details).
/// - `interactive` (button or list reply, flow response) and `button` (template quick reply) →
///   the chosen title as text, ids and payloads in details.
/// - `reaction` → the emoji as text, replying to the reacted message (`details.reaction`); a
///   removed reaction (no emoji) is nothing.
/// - `order` → its text, the order in details; anything else (`unsupported`, `unknown`, new
///   types) → a bracketed note as text with WhatsApp's errors in details, so agents see that
///   the customer sent something Junction cannot show.
struct WhatsAppContent: Sendable {
  var text: String?
  var attachments: [Attachment] = []
  var replyTo: String?
  var details: JSONObject

  init?(_ message: FieldReader, type: String) throws(FieldError) {
    details = ["type": .string(type)]
    switch type {
    case "text":
      text = try message.object("text").optionalString("body")
    case "image", "video", "document", "sticker":
      let media = try message.object(type)
      text = try media.optionalString("caption")
      attachments = [try Self.media(media, kind: type)]
    case "audio":
      let media = try message.object(type)
      attachments = [
        try Self.media(media, kind: try media.optionalBool("voice") == true ? "voice" : "audio")
      ]
    case "location":
      attachments = [try Self.location(try message.object("location"))]
    case "contacts":
      attachments = try message.objects("contacts").map { (card) throws(FieldError) in
        let name = try card.optionalObject("name")?.optionalString("formatted_name")
        return Attachment(kind: "contact", caption: name, details: card.object)
      }
    case "interactive":
      try readInteractive(try message.object("interactive"))
    case "button":
      let button = try message.object("button")
      text = try button.optionalString("text")
      details["button"] = .object(button.object)
    case "reaction":
      let reaction = try message.object("reaction")
      guard let emoji = try reaction.optionalString("emoji"), !emoji.isEmpty else { return nil }
      text = emoji
      replyTo = try reaction.optionalString("message_id")
      details["reaction"] = .object(reaction.object)
    case "order":
      let order = try message.object("order")
      text = try order.optionalString("text") ?? "[order]"
      details["order"] = .object(order.object)
    default:
      let errors = try message.array("errors")
      let title = errors.first.map(MetaGraphError.init)?.text
      text = "[unsupported WhatsApp message: \(title ?? type)]"
      if !errors.isEmpty { details["errors"] = .array(errors) }
    }
  }

  private mutating func readInteractive(_ interactive: FieldReader) throws(FieldError) {
    let kind = try interactive.optionalString("type") ?? ""
    details["interactive_type"] = .string(kind)
    switch kind {
    case "button_reply", "list_reply":
      let reply = try interactive.object(kind)
      text = try reply.optionalString("title")
      details["interactive"] = .object(reply.object)
    case "nfm_reply":
      let reply = try interactive.object(kind)
      text = try reply.optionalString("body") ?? "[form response]"
      details["interactive"] = .object(reply.object)
    default:
      text = "[interactive reply: \(kind)]"
      details["interactive"] = .object(interactive.object)
    }
  }

  /// A media object (`id`, `mime_type`, `sha256`, `filename`, `animated`).
  static func media(_ media: FieldReader, kind: String) throws(FieldError) -> Attachment {
    var details = JSONObject()
    if let sha256 = try media.optionalString("sha256") { details["sha256"] = .string(sha256) }
    if let animated = try media.optionalBool("animated") { details["animated"] = .bool(animated) }
    return Attachment(
      kind: kind, contentType: try media.optionalString("mime_type"),
      filename: try media.optionalString("filename"),
      providerFileId: try media.optionalIdentifier("id"), details: details)
  }

  /// A shared location: coordinates and, for a place, its name, address and URL.
  static func location(_ location: FieldReader) throws(FieldError) -> Attachment {
    var details = JSONObject()
    for key in ["latitude", "longitude"] {
      guard let number = try location.optionalDouble(key) else {
        throw FieldError(path: location.path(key), message: "is required")
      }
      details[key] = .double(number)
    }
    let name = try location.optionalString("name")
    let address = try location.optionalString("address")
    for (key, value) in [("name", name), ("address", address)] {
      if let value { details[key] = .string(value) }
    }
    let url = try location.optionalString("url")
    if let url { details["url"] = .string(url) }
    let caption = [name, address].compactMap { $0 }.filter { !$0.isEmpty }
    return Attachment(
      kind: "location", caption: caption.isEmpty ? nil : caption.joined(separator: ", "),
      details: details)
  }
}
