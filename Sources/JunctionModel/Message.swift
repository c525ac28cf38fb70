/// Which way a message travels.
public enum MessageDirection: String, Sendable, Equatable {
  /// From the customer, received through a channel.
  case inbound
  /// To the customer: a helpdesk reply, a bot answer or a notification.
  case outbound
}

/// Where a message is on its way. Inbound messages are `received`; outbound ones move
/// `queued` → `sent` → `delivered` → `read`, or end `failed`.
public enum DeliveryStatus: String, Sendable, Equatable, CaseIterable {
  case received, queued, sent, delivered, read, failed

  /// Whether `next` may follow this status (statuses never go backwards; a late `delivered`
  /// after `read` is ignored, `failed` is final).
  public func canAdvance(to next: DeliveryStatus) -> Bool {
    switch (self, next) {
    case (.failed, _), (.received, _): return false
    case (_, .failed): return self != .read && self != .delivered
    default: return next.rank > rank
    }
  }

  var rank: Int {
    switch self {
    case .received, .queued: return 0
    case .sent: return 1
    case .delivered: return 2
    case .read: return 3
    case .failed: return 4
    }
  }
}

/// One message of a conversation, in either direction.
public struct Message: Sendable, Equatable {
  public var id: String
  public var conversationId: String
  public var contactId: String
  /// The channel instance id (`channels.json` `id`).
  public var channel: String
  public var direction: MessageDirection
  /// The provider's id of this message (dedupe key for inbound, provider reference outbound).
  public var providerMessageId: String?
  public var text: String?
  public var attachments: [Attachment]
  /// When the provider says the message was sent (inbound) — may be absent.
  public var sentAt: Timestamp?
  /// When Junction recorded it.
  public var createdAt: Timestamp
  public var status: DeliveryStatus
  /// The provider's error for a failed message.
  public var error: JSON?
  /// The id of the message this one answers, when known.
  public var inReplyTo: String?
  /// Who wrote an outbound message: an agent id, `bot`, or `system`.
  public var author: String?
  /// Channel-specific extras (Telegram chat type, e-mail subject, SMS segments).
  public var details: JSONObject

  public init(
    id: String, conversationId: String, contactId: String, channel: String,
    direction: MessageDirection, providerMessageId: String? = nil, text: String? = nil,
    attachments: [Attachment] = [], sentAt: Timestamp? = nil, createdAt: Timestamp,
    status: DeliveryStatus, error: JSON? = nil, inReplyTo: String? = nil,
    author: String? = nil, details: JSONObject = JSONObject()
  ) {
    self.id = id
    self.conversationId = conversationId
    self.contactId = contactId
    self.channel = channel
    self.direction = direction
    self.providerMessageId = providerMessageId
    self.text = text
    self.attachments = attachments
    self.sentAt = sentAt
    self.createdAt = createdAt
    self.status = status
    self.error = error
    self.inReplyTo = inReplyTo
    self.author = author
    self.details = details
  }

  /// Writes the JSON form used in events and API responses (the canonical encoding).
  public func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.key("id")
    writer.string(id)
    writer.key("conversation_id")
    writer.string(conversationId)
    writer.key("contact_id")
    writer.string(contactId)
    writer.key("channel")
    writer.string(channel)
    writer.key("direction")
    writer.string(direction.rawValue)
    if let providerMessageId {
      writer.key("provider_message_id")
      writer.string(providerMessageId)
    }
    writer.key("text")
    writer.string(text)
    writer.key("attachments")
    writer.beginArray()
    for attachment in attachments { writer.write(attachment.json) }
    writer.endArray()
    if let sentAt {
      writer.key("sent_at")
      writer.timestamp(sentAt)
    }
    writer.key("created_at")
    writer.timestamp(createdAt)
    writer.key("status")
    writer.string(status.rawValue)
    if let error {
      writer.key("error")
      writer.write(error)
    }
    if let inReplyTo {
      writer.key("in_reply_to")
      writer.string(inReplyTo)
    }
    if let author {
      writer.key("author")
      writer.string(author)
    }
    // SMS encoding and segment count are shown as their own member, `"sms"`.
    var shownDetails = details
    if let sms = shownDetails["sms"] {
      writer.key("sms")
      writer.write(sms)
      shownDetails["sms"] = nil
    }
    if !shownDetails.isEmpty {
      writer.key("details")
      writer.write(.object(shownDetails))
    }
    writer.endObject()
  }

  /// The JSON form as a value.
  public var json: JSON { JSON.encoded { write(into: &$0) } }

  /// Reads the JSON form back.
  public init(json: JSON, path: String = "message") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    id = try reader.string("id")
    conversationId = try reader.string("conversation_id")
    contactId = try reader.string("contact_id")
    channel = try reader.string("channel")
    let directionText = try reader.string("direction")
    guard let direction = MessageDirection(rawValue: directionText) else {
      throw FieldError(path: reader.path("direction"), message: "unknown direction")
    }
    self.direction = direction
    providerMessageId = try reader.optionalString("provider_message_id")
    text = try reader.optionalString("text")
    var attachments: [Attachment] = []
    for (index, item) in try reader.array("attachments").enumerated() {
      attachments.append(
        try Attachment(json: item, path: "\(reader.path("attachments"))[\(index)]"))
    }
    self.attachments = attachments
    sentAt = try reader.optionalTimestamp("sent_at")
    guard let created = try reader.optionalTimestamp("created_at") else {
      throw FieldError(path: reader.path("created_at"), message: "is required")
    }
    createdAt = created
    let statusText = try reader.string("status")
    guard let status = DeliveryStatus(rawValue: statusText) else {
      throw FieldError(path: reader.path("status"), message: "unknown status")
    }
    self.status = status
    error = reader.value("error")
    inReplyTo = try reader.optionalString("in_reply_to")
    author = try reader.optionalString("author")
    details = try reader.optionalObject("details")?.object ?? JSONObject()
    if let sms = reader.value("sms") { details["sms"] = sms }
  }
}
