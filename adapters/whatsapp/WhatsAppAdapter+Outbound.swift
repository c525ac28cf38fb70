import JunctionChannels
import JunctionModel

extension WhatsAppAdapter {
  /// Longest caption WhatsApp takes on an image, video or document.
  static let maxCaptionLength = 1024

  /// `POST {api_base}/{phone_number_id}/messages`.
  var messagesURL: String { "\(apiBase)/\(phoneNumberId)/messages" }

  /// Sends one message part: a text, media by link (`image`, `video`, `audio`, `document`,
  /// `sticker`), or — outside the 24 h window, when configured — the template. Text with one
  /// captionable attachment goes as one media message with the text as caption; otherwise
  /// the text goes first and each attachment after it, and the first message's wamid is the
  /// provider id delivery statuses are matched by. WhatsApp has no idempotency key: a retry
  /// after a lost answer can deliver a message twice.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    await send(message, transport: transport, now: Timestamp.now())
  }

  /// ``send(_:transport:)`` at a given time (the reply window is judged against `now`).
  func send(_ message: OutboundMessage, transport: any ChannelTransport, now: Timestamp) async
    -> SendResult
  {
    let bodies: [JSON]
    switch requestBodies(for: message, now: now) {
    case .success(let rendered): bodies = rendered
    case .failure(let error): return .failed(error)
    }
    var firstId: String?
    for body in bodies {
      let request = ProviderRequest(
        url: messagesURL,
        headers: [
          ("Content-Type", "application/json"), ("Authorization", "Bearer \(accessToken)"),
        ], body: body.serialized(), timeout: timeout)
      let outcome = Self.classifySend(await transport.perform(request))
      guard case .sent(let id, _) = outcome else { return outcome }
      firstId = firstId ?? id
    }
    return .sent(providerMessageId: firstId, details: JSONObject())
  }

  /// The JSON bodies `message` becomes, in sending order, or why it cannot be sent.
  func requestBodies(for message: OutboundMessage, now: Timestamp) -> Result<[JSON], ProviderError>
  {
    var to = message.recipient.externalId
    if to.hasPrefix("+") { to.removeFirst() }
    guard Self.e164(waId: to) != nil else {
      return .failure(
        ProviderError(
          code: "invalid_recipient", message: "\"\(to)\" is not a WhatsApp id (a phone number)"))
    }
    let base: JSONObject = [
      "messaging_product": "whatsapp", "recipient_type": "individual", "to": .string(to),
    ]
    let text = message.text.flatMap { $0.isEmpty ? nil : $0 }
    let inWindow = message.lastInboundAt.map { now.seconds(since: $0) <= Self.replyWindow } ?? false
    if !inWindow, let template {
      guard message.attachments.isEmpty else {
        return .failure(
          ProviderError(
            code: "outside_reply_window",
            message:
              "more than 24 h since the customer last wrote: only the template can be sent, and it cannot carry attachments"
          ))
      }
      var body = base
      body["type"] = "template"
      body["template"] = template.render(text: text)
      return .success([.object(body)])
    }
    if let missing = message.attachments.firstIndex(where: { $0.url == nil }) {
      return .failure(
        ProviderError(
          code: "no_url",
          message:
            "attachments[\(missing)] has no URL: WhatsApp media are sent by link (uploading stored blobs is not supported)"
        ))
    }
    var bodies: [JSONObject] = []
    if let only = message.attachments.first, message.attachments.count == 1,
      only.caption == nil, Self.captioned.contains(Self.mediaType(only)),
      (text?.count ?? 0) <= Self.maxCaptionLength
    {
      bodies = [media(only, caption: text, base: base)]
    } else {
      if let text {
        var body = base
        body["type"] = "text"
        body["text"] = ["preview_url": .bool(previewURL), "body": .string(text)]
        bodies.append(body)
      }
      bodies += message.attachments.map { media($0, caption: $0.caption, base: base) }
    }
    guard !bodies.isEmpty else {
      return .failure(ProviderError(code: "empty_message", message: "no text and no attachments"))
    }
    if quoteReplies, let answered = message.inReplyToProviderId {
      bodies[0]["context"] = ["message_id": .string(answered)]
    }
    return .success(bodies.map(JSON.object))
  }

  /// Media types that take a caption.
  static let captioned: Set<String> = ["image", "video", "document"]

  /// WhatsApp's media type for an attachment kind: `voice` goes as `audio`, anything that is
  /// not an image, video, audio or sticker as a `document`.
  static func mediaType(_ attachment: Attachment) -> String {
    switch attachment.kind {
    case "image", "video", "audio", "sticker": return attachment.kind
    case "voice": return "audio"
    default: return "document"
    }
  }

  private func media(_ attachment: Attachment, caption: String?, base: JSONObject) -> JSONObject {
    let type = Self.mediaType(attachment)
    var object: JSONObject = ["link": .optional(attachment.url)]
    if let caption, !caption.isEmpty, Self.captioned.contains(type) {
      object["caption"] = .string(caption)
    }
    if type == "document", let filename = attachment.filename {
      object["filename"] = .string(filename)
    }
    var body = base
    body["type"] = .string(type)
    body[type] = .object(object)
    return body
  }
}
