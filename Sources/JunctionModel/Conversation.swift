/// Whether a conversation still needs attention.
public enum ConversationStatus: String, Sendable, Equatable {
  case open, resolved
}

/// A thread of messages between one contact and support on one channel instance.
///
/// There is at most one open conversation per contact per channel; a message arriving after
/// it was resolved opens a new one (or reopens it within the configured window).
public struct Conversation: Sendable, Equatable {
  public var id: String
  public var contactId: String
  public var channel: String
  public var status: ConversationStatus
  /// The queue it waits in (`general` until routed).
  public var queue: String
  public var skill: String?
  public var tier: String?
  /// Higher is served first.
  public var priority: Int
  /// The agent it is assigned to.
  public var assignee: String?
  public var tags: [String]
  public var createdAt: Timestamp
  public var updatedAt: Timestamp
  public var resolvedAt: Timestamp?
  public var lastInboundAt: Timestamp?
  public var lastOutboundAt: Timestamp?
  public var messageCount: Int

  public init(
    id: String, contactId: String, channel: String, status: ConversationStatus = .open,
    queue: String = "general", skill: String? = nil, tier: String? = nil, priority: Int = 0,
    assignee: String? = nil, tags: [String] = [], createdAt: Timestamp, updatedAt: Timestamp,
    resolvedAt: Timestamp? = nil, lastInboundAt: Timestamp? = nil,
    lastOutboundAt: Timestamp? = nil, messageCount: Int = 0
  ) {
    self.id = id
    self.contactId = contactId
    self.channel = channel
    self.status = status
    self.queue = queue
    self.skill = skill
    self.tier = tier
    self.priority = priority
    self.assignee = assignee
    self.tags = tags
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.resolvedAt = resolvedAt
    self.lastInboundAt = lastInboundAt
    self.lastOutboundAt = lastOutboundAt
    self.messageCount = messageCount
  }

  /// Writes the JSON form (the canonical encoding).
  public func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writeMembers(into: &writer)
    writer.endObject()
  }

  /// Writes the members without the enclosing braces (so API responses can add members).
  public func writeMembers(into writer: inout JSONWriter) {
    writer.key("id")
    writer.string(id)
    writer.key("contact_id")
    writer.string(contactId)
    writer.key("channel")
    writer.string(channel)
    writer.key("status")
    writer.string(status.rawValue)
    writer.key("queue")
    writer.string(queue)
    writer.key("skill")
    writer.string(skill)
    writer.key("tier")
    writer.string(tier)
    writer.key("priority")
    writer.int(Int64(priority))
    writer.key("assignee")
    writer.string(assignee)
    writer.key("tags")
    writer.beginArray()
    for tag in tags { writer.string(tag) }
    writer.endArray()
    writer.key("created_at")
    writer.timestamp(createdAt)
    writer.key("updated_at")
    writer.timestamp(updatedAt)
    for (key, value) in [
      ("resolved_at", resolvedAt), ("last_inbound_at", lastInboundAt),
      ("last_outbound_at", lastOutboundAt),
    ] {
      writer.key(key)
      if let value { writer.timestamp(value) } else { writer.null() }
    }
    writer.key("message_count")
    writer.int(Int64(messageCount))
  }

  public var json: JSON { JSON.encoded { write(into: &$0) } }

  public init(json: JSON, path: String = "conversation") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    id = try reader.string("id")
    contactId = try reader.string("contact_id")
    channel = try reader.string("channel")
    let statusText = try reader.optionalString("status") ?? "open"
    guard let status = ConversationStatus(rawValue: statusText) else {
      throw FieldError(path: reader.path("status"), message: "unknown status")
    }
    self.status = status
    queue = try reader.optionalString("queue") ?? "general"
    skill = try reader.optionalString("skill")
    tier = try reader.optionalString("tier")
    priority = Int(try reader.optionalInt("priority") ?? 0)
    assignee = try reader.optionalString("assignee")
    tags = try reader.strings("tags")
    createdAt = try reader.optionalTimestamp("created_at") ?? Timestamp(millis: 0)
    updatedAt = try reader.optionalTimestamp("updated_at") ?? createdAt
    resolvedAt = try reader.optionalTimestamp("resolved_at")
    lastInboundAt = try reader.optionalTimestamp("last_inbound_at")
    lastOutboundAt = try reader.optionalTimestamp("last_outbound_at")
    messageCount = Int(try reader.optionalInt("message_count") ?? 0)
  }
}
