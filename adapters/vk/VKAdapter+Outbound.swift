import JunctionChannels
import JunctionDigest
import JunctionHTTP
import JunctionModel

extension VKAdapter {
  /// What a reply quotes: a message by conversation message id (`forward` with `is_reply`),
  /// or by global message id (`reply_to`) for messages known only by that.
  enum Quote: Sendable, Equatable {
    case conversationMessage(Int64)
    case message(Int64)
  }

  /// Sends `message` with `messages.send` to peer `threadKey ?? recipient.externalId`.
  ///
  /// VK cannot fetch files by URL, so attachments go out as links (`name: URL`) after the
  /// text, in the same message when it fits 4096 characters, else in a second one. Each VK
  /// message carries a `random_id` derived from Junction's message id (and its position), the
  /// same on every retry, so VK never delivers one twice. The provider message id is
  /// `"{peer_id}:{conversation_message_id}"` of the first, the form inbound messages use.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    let target = message.threadKey ?? message.recipient.externalId
    guard let peer = Int64(target) else {
      return .failed(
        ProviderError(code: "invalid_recipient", message: "\(target) is not a VK peer id"),
        recipientUnreachable: true)
    }
    let texts: [String]
    switch Self.texts(message) {
    case .success(let planned): texts = planned
    case .failure(let error): return .failed(error)
    }
    let quote = replyTarget(message, peer: peer)
    var first: String?
    for (index, text) in texts.enumerated() {
      let key = index == 0 ? message.messageId : "\(message.messageId)#\(index + 1)"
      let form = parameters(
        peer: peer, randomId: Self.randomId(for: key), text: text,
        quote: index == 0 ? quote : nil)
      let request = ProviderRequest(
        url: "\(apiBase)/messages.send",
        headers: [("Content-Type", "application/x-www-form-urlencoded")],
        body: Array(FormEncoding.encode(form).utf8), timeout: timeout)
      let result = scrubbed(Self.classify(await transport.perform(request), peer: peer))
      guard case .sent(let id, _) = result else { return result }
      first = first ?? id
    }
    return .sent(providerMessageId: first, details: JSONObject())
  }

  /// The form parameters of one `messages.send` call, in a fixed order.
  func parameters(peer: Int64, randomId: Int32, text: String, quote: Quote?) -> [(String, String)] {
    var form = [
      ("peer_ids", String(peer)), ("random_id", String(randomId)), ("message", text),
    ]
    switch quote {
    case .conversationMessage(let cmid):
      let forward: JSON = [
        "peer_id": .int(peer), "conversation_message_ids": [.int(cmid)], "is_reply": true,
      ]
      form.append(("forward", forward.serializedString()))
    case .message(let id):
      form.append(("reply_to", String(id)))
    case nil:
      break
    }
    form += [("v", apiVersion), ("access_token", accessToken)]
    return form
  }

  /// A 32-bit `random_id` (VK's type) from `key`: the first four bytes of its SHA-256 as a
  /// big-endian signed integer, never 0 (0 turns VK's duplicate check off). The same key
  /// gives the same id in every process and release, so a retry after a restart still
  /// dedupes. `send` uses Junction's message id, and `"{id}#2"` for a second VK message.
  public static func randomId(for key: String) -> Int32 {
    let digest = SHA256.hash(Array(key.utf8))
    let bits = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let id = Int32(bitPattern: bits)
    return id == 0 ? 1 : id
  }

  /// The texts of the VK messages carrying `message`: its text and the attachments' links.
  static func texts(_ message: OutboundMessage) -> Result<[String], ProviderError> {
    var links: [String] = []
    for (index, attachment) in message.attachments.enumerated() {
      guard let url = attachment.url else {
        return .failure(
          ProviderError(
            code: "attachment_without_url", message: "attachment \(index) has no URL to link"))
      }
      links.append("\(attachment.filename ?? attachment.caption ?? attachment.kind): \(url)")
    }
    let text = message.text ?? ""
    let linkText = links.joined(separator: "\n")
    switch (text.isEmpty, links.isEmpty) {
    case (true, true):
      return .failure(ProviderError(code: "empty_message", message: "no text and no attachments"))
    case (false, true): return .success([text])
    case (true, false): return .success([linkText])
    case (false, false):
      let combined = text + "\n\n" + linkText
      return .success(
        combined.count <= manifest.capabilities.maxTextLength ? [combined] : [text, linkText])
    }
  }

  /// The message to quote, when `inReplyToProviderId` belongs to this peer and the
  /// `quote_replies` policy allows it.
  func replyTarget(_ message: OutboundMessage, peer: Int64) -> Quote? {
    switch quoteReplies {
    case .never: return nil
    case .groups where message.threadKey == nil: return nil
    default: break
    }
    guard let id = message.inReplyToProviderId, let colon = id.lastIndex(of: ":"),
      id[..<colon] == String(peer)
    else { return nil }
    let rest = id[id.index(after: colon)...]
    if rest.hasPrefix("id") { return Int64(rest.dropFirst(2)).map(Quote.message) }
    return Int64(rest).map(Quote.conversationMessage)
  }
}
