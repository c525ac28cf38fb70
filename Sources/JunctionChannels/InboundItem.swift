import JunctionModel

/// Who sent an inbound message, as the provider describes them.
public struct SenderProfile: Sendable, Equatable {
  /// The provider's id of the person (Telegram user id, E.164 phone, e-mail address).
  public var externalId: String
  public var name: String?
  public var email: String?
  /// E.164 when known.
  public var phone: String?
  public var language: String?
  /// Provider-specific attributes (username, profile URL).
  public var attributes: JSONObject

  public init(
    externalId: String, name: String? = nil, email: String? = nil, phone: String? = nil,
    language: String? = nil, attributes: JSONObject = JSONObject()
  ) {
    self.externalId = externalId
    self.name = name
    self.email = email
    self.phone = phone
    self.language = language
    self.attributes = attributes
  }
}

/// A customer message an adapter parsed out of a webhook or mailbox.
public struct InboundMessage: Sendable, Equatable {
  /// The provider's id of this message; with the channel, the dedupe key.
  public var providerMessageId: String
  public var sender: SenderProfile
  /// Separates conversations that are not the sender's private chat (a Telegram group's chat
  /// id); nil for a private conversation with the sender.
  public var threadKey: String?
  public var text: String?
  public var attachments: [Attachment]
  public var sentAt: Timestamp?
  /// The provider id of the message this one replies to.
  public var replyToProviderId: String?
  /// Ids of earlier messages this one refers to (e-mail `In-Reply-To`/`References`).
  public var references: [String]
  /// A conversation token found in the message (e-mail subject `[#ABC123]`).
  public var conversationToken: String?
  /// True for automatic mail (auto-replies, bulk): stored, but never opens a conversation or
  /// triggers the bot.
  public var isAutomatic: Bool
  /// Channel-specific extras (chat type, subject, SMS segments).
  public var details: JSONObject

  public init(
    providerMessageId: String, sender: SenderProfile, threadKey: String? = nil,
    text: String? = nil, attachments: [Attachment] = [], sentAt: Timestamp? = nil,
    replyToProviderId: String? = nil, references: [String] = [],
    conversationToken: String? = nil, isAutomatic: Bool = false,
    details: JSONObject = JSONObject()
  ) {
    self.providerMessageId = providerMessageId
    self.sender = sender
    self.threadKey = threadKey
    self.text = text
    self.attachments = attachments
    self.sentAt = sentAt
    self.replyToProviderId = replyToProviderId
    self.references = references
    self.conversationToken = conversationToken
    self.isAutomatic = isAutomatic
    self.details = details
  }
}

/// The provider reports what became of an outbound message.
public struct DeliveryStatusUpdate: Sendable, Equatable {
  /// Junction's message id when the provider echoes it, else nil.
  public var messageId: String?
  /// The provider's id of the outbound message.
  public var providerMessageId: String?
  public var status: DeliveryStatus
  public var error: JSON?
  public var at: Timestamp?
  /// A dedupe key for this status report (provider ids + status), when the provider gives one.
  public var dedupeKey: String?

  public init(
    messageId: String? = nil, providerMessageId: String? = nil, status: DeliveryStatus,
    error: JSON? = nil, at: Timestamp? = nil, dedupeKey: String? = nil
  ) {
    self.messageId = messageId
    self.providerMessageId = providerMessageId
    self.status = status
    self.error = error
    self.at = at
    self.dedupeKey = dedupeKey
  }
}

/// A customer edited a message they sent earlier.
public struct InboundEdit: Sendable, Equatable {
  /// The provider id of the message edited.
  public var providerMessageId: String
  /// A dedupe key of the edit itself (e.g. Telegram `update_id`).
  public var editId: String
  public var sender: SenderProfile
  public var threadKey: String?
  public var text: String?
  public var editedAt: Timestamp?

  public init(
    providerMessageId: String, editId: String, sender: SenderProfile, threadKey: String? = nil,
    text: String?, editedAt: Timestamp? = nil
  ) {
    self.providerMessageId = providerMessageId
    self.editId = editId
    self.sender = sender
    self.threadKey = threadKey
    self.text = text
    self.editedAt = editedAt
  }
}

/// One part of a message the provider splits (a concatenated SMS).
///
/// The gateway journals each part as it arrives (so an acknowledged part is never lost) and
/// records the whole message once every part is there, in part order, however the parts
/// arrive; parts still missing after the channel's timeout are given up and what arrived is
/// recorded as the message.
public struct MessagePart: Sendable, Equatable {
  /// Identifies the whole message among the sender's: the provider's concatenation reference.
  public var reference: String
  /// 1-based position.
  public var index: Int
  public var total: Int
  /// This part: its own provider id (dedupe), sender, thread and text.
  public var message: InboundMessage

  public init(reference: String, index: Int, total: Int, message: InboundMessage) {
    self.reference = reference
    self.index = index
    self.total = total
    self.message = message
  }
}

/// One thing an inbound request carried.
public enum InboundItem: Sendable, Equatable {
  case message(InboundMessage)
  case edit(InboundEdit)
  case status(DeliveryStatusUpdate)
  /// A part of a concatenated message.
  case part(MessagePart)
}

/// What the gateway did with one inbound item, handed back to the adapter to build the
/// provider's answer.
public enum IngestOutcome: Sendable, Equatable {
  case message(messageId: String, conversationId: String, duplicate: Bool)
  case edit(messageId: String?, duplicate: Bool)
  /// A status for a message Junction knows (`applied`) or does not know.
  case status(messageId: String?, applied: Bool)
  /// A part stored (`duplicate` when it had arrived before); `messageId` once the whole
  /// message is recorded.
  case part(messageId: String?, duplicate: Bool)
}
