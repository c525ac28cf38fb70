import JunctionChannels
import JunctionModel

extension TelegramAdapter {
  /// One Bot API call of a send: `sendMessage`, `sendPhoto` … and its JSON parameters.
  struct Call: Sendable, Equatable {
    var method: String
    var body: JSONObject
  }

  /// Sends `message` to chat `threadKey ?? recipient.externalId`: its text with
  /// `sendMessage`, each attachment by URL with the matching `send…` method, the text as the
  /// first file's caption when it fits 1024 characters. The provider message id is
  /// `"{chat_id}:{message_id}"` of the first message sent.
  ///
  /// Telegram has no idempotency key: a send that fails after some of its calls went through
  /// repeats them when the outbox retries.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    let chatId = message.threadKey ?? message.recipient.externalId
    let calls: [Call]
    switch Self.plan(message, chatId: chatId, replyTo: replyTarget(message, chatId: chatId)) {
    case .success(let planned): calls = planned
    case .failure(let error): return .failed(error)
    }
    var first: String?
    for call in calls {
      let result = await perform(call, transport: transport)
      guard case .sent(let id, _) = result else { return result }
      first = first ?? id
    }
    return .sent(providerMessageId: first, details: ["calls": .int(Int64(calls.count))])
  }

  /// Makes one call; when Telegram says the group became a supergroup
  /// (`parameters.migrate_to_chat_id`), repeats it once to the new chat.
  func perform(_ call: Call, transport: any ChannelTransport) async -> SendResult {
    var call = call
    for _ in 0..<2 {
      let request = ProviderRequest(
        url: methodURL(call.method), headers: [("Content-Type", "application/json")],
        body: JSON.object(call.body).serialized(), timeout: timeout)
      let response = await transport.perform(request)
      switch Self.classify(response, chatId: call.body["chat_id"] ?? .null) {
      case .migrated(let newChat):
        call.body["chat_id"] = .int(newChat)
      case .done(let result):
        return scrubbed(result)
      }
    }
    return .failed(
      ProviderError(code: "chat_migrated", message: "Telegram moved the chat more than once"))
  }

  /// The message id to quote, when `inReplyToProviderId` is a message of this chat and the
  /// `quote_replies` policy allows it.
  func replyTarget(_ message: OutboundMessage, chatId: String) -> Int64? {
    switch quoteReplies {
    case .never: return nil
    case .groups where message.threadKey == nil: return nil
    default: break
    }
    guard let id = message.inReplyToProviderId, let colon = id.lastIndex(of: ":"),
      id[..<colon] == chatId
    else { return nil }
    return Int64(id[id.index(after: colon)...])
  }

  /// The calls that carry `message` (pure): text parts first unless the text fits as the
  /// first attachment's caption; `reply_parameters` on the first call.
  static func plan(_ message: OutboundMessage, chatId: String, replyTo: Int64?)
    -> Result<[Call], ProviderError>
  {
    let chat: JSON = Int64(chatId).map(JSON.int) ?? .string(chatId)
    let text = message.text ?? ""
    let files = message.attachments
    let captioned = !text.isEmpty && !files.isEmpty && text.utf16.count <= maxCaptionLength
    var calls: [Call] = []
    if !text.isEmpty && !captioned {
      for part in messageParts(text) {
        calls.append(Call(method: "sendMessage", body: ["chat_id": chat, "text": .string(part)]))
      }
    }
    for (index, file) in files.enumerated() {
      guard let url = file.url else {
        return .failure(
          ProviderError(
            code: "attachment_without_url",
            message: "attachment \(index) has no URL Telegram could fetch"))
      }
      let (method, field) = sendMethod(for: file.kind)
      var body: JSONObject = ["chat_id": chat, field: .string(url)]
      if index == 0 && captioned { body["caption"] = .string(text) }
      calls.append(Call(method: method, body: body))
    }
    guard !calls.isEmpty else {
      return .failure(ProviderError(code: "empty_message", message: "no text and no attachments"))
    }
    if let replyTo {
      calls[0].body["reply_parameters"] = [
        "message_id": .int(replyTo), "allow_sending_without_reply": true,
      ]
    }
    return .success(calls)
  }

  /// `text` in parts of at most 4096 UTF-16 code units, Telegram's measure. The gateway
  /// already splits at 4096 characters; emoji-heavy text can still be longer in UTF-16.
  static func messageParts(_ text: String) -> [String] {
    let limit = manifest.capabilities.maxTextLength
    var length = limit
    var parts = [text]
    while parts.contains(where: { $0.utf16.count > limit }) && length > 1 {
      length = length * 3 / 4
      parts = TextSplitter.split(text, maxLength: length)
    }
    return parts
  }

  /// The Bot API method and its file parameter for an attachment kind.
  static func sendMethod(for kind: String) -> (method: String, field: String) {
    switch kind {
    case "image": return ("sendPhoto", "photo")
    case "audio": return ("sendAudio", "audio")
    case "video": return ("sendVideo", "video")
    case "voice": return ("sendVoice", "voice")
    default: return ("sendDocument", "document")
    }
  }

  /// `result` with the bot token masked out of its error message.
  func scrubbed(_ result: SendResult) -> SendResult {
    switch result {
    case .sent: return result
    case .retry(var error, let after):
      error.message = scrubbed(error.message)
      return .retry(error, retryAfter: after)
    case .failed(var error, let unreachable, let optedOut):
      error.message = scrubbed(error.message)
      return .failed(error, recipientUnreachable: unreachable, optedOut: optedOut)
    }
  }
}
