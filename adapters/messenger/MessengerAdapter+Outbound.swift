import JunctionChannels
import JunctionModel

extension MessengerAdapter {
  /// `POST {api_base}/me/messages` (or `/{page_id}/messages`).
  var messagesURL: String { "\(apiBase)/\(pageId ?? "me")/messages" }

  /// Sends one message part through the Send API: the text, then each attachment by URL
  /// (Messenger messages carry text or one attachment, never both; an attachment's caption
  /// goes as a text just before it). The first `message_id` is the provider id receipts are
  /// matched by. The Page token travels in the `Authorization: Bearer` header, never in the
  /// URL. The Send API has no idempotency key: a retry after a lost answer can deliver twice.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    await send(message, transport: transport, now: Timestamp.now())
  }

  /// ``send(_:transport:)`` at a given time (the window is judged, and sends are remembered
  /// for read receipts, at `now`).
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
      if let id {
        ledger.record(mid: id, recipient: message.recipient.externalId, at: now.millis)
      }
      firstId = firstId ?? id
    }
    return .sent(providerMessageId: firstId, details: JSONObject())
  }

  /// The Send API bodies `message` becomes, in order, or why it cannot be sent.
  ///
  /// Within 24 h of the customer's last message: `messaging_type: RESPONSE`. After it, with a
  /// `message_tag`: `MESSAGE_TAG` and the tag (`HUMAN_AGENT` only up to 7 days; later the
  /// message fails with `outside_reply_window` without a call). Without a tag the gateway's
  /// send policy stops such messages before they get here; a reply that aged in the outbox
  /// goes as `RESPONSE` and Messenger's refusal (10/2018278) fails it.
  func requestBodies(for message: OutboundMessage, now: Timestamp) -> Result<[JSON], ProviderError>
  {
    let psid = message.recipient.externalId
    guard !psid.isEmpty else {
      return .failure(ProviderError(code: "invalid_recipient", message: "no Messenger PSID"))
    }
    var envelope: JSONObject = ["recipient": ["id": .string(psid)]]
    let age = message.lastInboundAt.map { now.seconds(since: $0) }
    if let messageTag, (age ?? .infinity) > Self.replyWindow {
      if messageTag == "HUMAN_AGENT", (age ?? .infinity) > Self.humanAgentWindow {
        return .failure(
          ProviderError(
            code: "outside_reply_window",
            message:
              "more than 7 days since the customer last wrote: Messenger allows no HUMAN_AGENT reply"
          ))
      }
      envelope["messaging_type"] = "MESSAGE_TAG"
      envelope["tag"] = .string(messageTag)
    } else {
      envelope["messaging_type"] = "RESPONSE"
    }
    if let missing = message.attachments.firstIndex(where: { $0.url == nil }) {
      return .failure(
        ProviderError(
          code: "no_url",
          message:
            "attachments[\(missing)] has no URL: Messenger attachments are sent by URL (uploading stored blobs is not supported)"
        ))
    }
    var messages: [JSON] = []
    if let text = message.text, !text.isEmpty { messages.append(["text": .string(text)]) }
    for attachment in message.attachments {
      if let caption = attachment.caption, !caption.isEmpty {
        messages.append(["text": .string(caption)])
      }
      messages.append([
        "attachment": [
          "type": .string(Self.attachmentType(attachment.kind)),
          "payload": ["url": .optional(attachment.url), "is_reusable": false],
        ]
      ])
    }
    guard !messages.isEmpty else {
      return .failure(ProviderError(code: "empty_message", message: "no text and no attachments"))
    }
    return .success(
      messages.map { content in
        var body = envelope
        body["message"] = content
        return .object(body)
      })
  }

  /// The Send API's attachment type: `image`, `audio`, `video` or `file`.
  static func attachmentType(_ kind: String) -> String {
    switch kind {
    case "image", "audio", "video": return kind
    case "sticker": return "image"
    case "voice": return "audio"
    default: return "file"
    }
  }

  /// Fetches an inbound attachment from Meta's CDN (`payload.url`, no token needed). Links,
  /// locations and shares have no file to keep.
  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    guard ["image", "video", "audio", "document", "sticker"].contains(attachment.kind),
      let url = attachment.url
    else {
      return .failed(
        ProviderError(code: "no_file", message: "a \(attachment.kind) attachment has no file"))
    }
    return await DownloadResult.get(url, transport: transport, maxBytes: maxBytes)
  }
}
