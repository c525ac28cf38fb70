import Foundation
import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionMIME
import JunctionModel

/// The `email` channel: a support mailbox polled over IMAP and/or raw RFC 5322 mail posted to
/// `POST /v1/inbound/{channel}` by a mail server, replies sent by SMTP.
///
/// Inbound mail becomes one message: the text the customer wrote (quoted history and
/// signature stripped; HTML-only mail converted), the files and inline images, and the whole
/// original as a `message/rfc822` attachment. Threading uses `In-Reply-To`/`References` and
/// the `[#TOKEN]` in the subject; automatic mail never opens a conversation; delivery status
/// notifications fail the reply they bounce. Replies continue the customer's thread (see
/// `EmailAdapter+Outbound.swift`). I/O goes through the ``MailTransport`` of the
/// ``AdapterContext``.
public struct EmailAdapter: MailChannelAdapter {
  /// Name, settings and capabilities of the `email` channel.
  public static let manifest = ChannelManifest(
    name: "email",
    summary: "A support mailbox: IMAP polling or raw MIME by HTTP in, SMTP replies out",
    kind: .email,
    settings: EmailSettings.specs,
    capabilities: ChannelCapabilities(
      maxTextLength: 1_000_000, attachmentKinds: ["image", "document", "audio", "video", "file"],
      maxAttachmentBytes: 25 << 20, replyWindow: nil, canStartConversation: true,
      deliveryReceipts: false, readReceipts: false, ratePerSecond: 5))

  /// The channel instance served.
  public let instance: ChannelInstanceConfig
  /// The checked settings.
  public let settings: EmailSettings
  let mail: (any MailTransport)?
  let history: (any ConversationHistory)?

  /// An adapter for `instance`; mail I/O goes through `context.mail`, threads are read from
  /// `context.history`.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    settings = try EmailSettings(instance.settings)
    mail = context.mail
    history = context.history
  }

  /// The mailbox to poll (`imap_url`), if any.
  public var mailbox: MailboxSettings? { settings.mailbox }

  /// `max_message_bytes`.
  public var maxMessageBytes: Int { settings.maxMessageBytes }

  /// `POST` with `Content-Type: message/rfc822` and `Authorization: Bearer <inbound_token>`.
  public func checkRawMail(_ request: HTTPRequest) -> HTTPResponse? {
    guard request.method == .post else {
      return .error(405, code: "method_not_allowed", message: "post the raw message")
    }
    guard let expected = settings.inboundToken else {
      return .error(
        401, code: "unauthorized",
        message: "channel \(instance.id) takes no HTTP deliveries (no settings.inbound_token)")
    }
    let given = Self.bearer(request.headers["Authorization"])
    guard let given, constantTimeEquals(Array(given.utf8), Array(expected.utf8)) else {
      return .error(401, code: "unauthorized", message: "missing or wrong bearer token")
    }
    let type = (request.headers["Content-Type"] ?? "").split(separator: ";").first
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard type == "message/rfc822" else {
      return .error(
        415, code: "unsupported_media_type",
        message: "send the raw message with Content-Type: message/rfc822")
    }
    guard !request.body.isEmpty else {
      return .error(400, code: "empty_body", message: "the body must be the raw message")
    }
    guard request.body.count <= settings.maxMessageBytes else {
      return .error(
        413, code: "body_too_large",
        message: "the message exceeds \(settings.maxMessageBytes) bytes")
    }
    return nil
  }

  /// The pure path: checks and parses like the gateway's mail intake, but keeps no files
  /// (attachments are described without a stored copy). The gateway serves e-mail channels
  /// through its mail intake instead, which stores them first.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    if let rejection = checkRawMail(request) { return .reject(rejection) }
    let parsed = parseMail(request.body)
    return .ingest(parsed.item.map { [$0] } ?? [])
  }

  /// `200 {"message_id", "conversation_id", "duplicate"}`; the conversation is null for
  /// automatic mail recorded without one.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    switch outcomes.first {
    case .message(let messageId, let conversationId, let duplicate):
      let body: JSON = [
        "message_id": .string(messageId),
        "conversation_id": conversationId.isEmpty ? .null : .string(conversationId),
        "duplicate": .bool(duplicate),
      ]
      return .json(200, body.serialized())
    case .status(let messageId, let applied):
      let body: JSON = ["message_id": .optional(messageId), "applied": .bool(applied)]
      return .json(200, body.serialized())
    default:
      return .json(200, #"{"ok":true}"#)
    }
  }

  static func bearer(_ header: String?) -> String? {
    guard let header else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    return token.isEmpty ? nil : token
  }
}
