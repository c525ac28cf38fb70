import JunctionModel

/// A message to carry out through a channel, as the outbox hands it to an adapter.
public struct OutboundMessage: Sendable, Equatable {
  /// Junction's id of the message: stable across retries, the idempotency key.
  public var messageId: String
  public var conversationId: String
  /// Who receives it: the contact's identity on this channel and what else is known.
  public var recipient: SenderProfile
  /// The conversation's thread (group chat id) when it is not a private chat.
  public var threadKey: String?
  public var text: String?
  public var attachments: [Attachment]
  /// The provider id of the customer message this answers, when known.
  public var inReplyToProviderId: String?
  /// 1 for the first try.
  public var attempt: Int
  /// Written by a bot or system rather than a person (e-mail `Auto-Submitted`).
  public var isAutomatic: Bool
  /// When the customer last wrote (reply windows).
  public var lastInboundAt: Timestamp?
  /// Conversation extras the channel keeps (e-mail subject, message ids for threading).
  public var details: JSONObject

  public init(
    messageId: String, conversationId: String, recipient: SenderProfile,
    threadKey: String? = nil, text: String?, attachments: [Attachment] = [],
    inReplyToProviderId: String? = nil, attempt: Int = 1, isAutomatic: Bool = false,
    lastInboundAt: Timestamp? = nil, details: JSONObject = JSONObject()
  ) {
    self.messageId = messageId
    self.conversationId = conversationId
    self.recipient = recipient
    self.threadKey = threadKey
    self.text = text
    self.attachments = attachments
    self.inReplyToProviderId = inReplyToProviderId
    self.attempt = attempt
    self.isAutomatic = isAutomatic
    self.lastInboundAt = lastInboundAt
    self.details = details
  }
}

/// What a provider said about a send, in Junction's terms.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Junction's code: `http_500`, `timeout`, `connection_failed`, `outside_reply_window`,
  /// `recipient_blocked`, `invalid_recipient` …
  public var code: String
  public var message: String
  public var httpStatus: Int?
  /// The provider's own error code (Twilio `21610`, Telegram `error_code`).
  public var providerCode: String?

  public init(code: String, message: String, httpStatus: Int? = nil, providerCode: String? = nil) {
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
    self.providerCode = providerCode
  }

  public var description: String { "\(code): \(message)" }

  /// The form stored in `message.failed` events.
  public var json: JSON {
    var object: JSONObject = ["code": .string(code), "message": .string(message)]
    if let httpStatus { object["http_status"] = .int(Int64(httpStatus)) }
    if let providerCode { object["provider_code"] = .string(providerCode) }
    return .object(object)
  }
}

/// The outcome of one send attempt.
public enum SendResult: Sendable, Equatable {
  /// The provider accepted the message.
  case sent(providerMessageId: String?, details: JSONObject)
  /// Try again later (timeouts, connection errors, 408, 429, 5xx); `retryAfter` in seconds
  /// when the provider said how long to wait.
  case retry(ProviderError, retryAfter: Double?)
  /// Permanent failure; `recipientUnreachable` marks the contact unreachable on this channel,
  /// `optedOut` marks them opted out.
  case failed(ProviderError, recipientUnreachable: Bool = false, optedOut: Bool = false)
}
