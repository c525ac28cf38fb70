import JunctionModel

/// Binary snapshot encodings of the state's records (FORMAT.md, "Application state").
/// Each `write` has a matching `init(snapshot:)`; fields are written in declaration order.
enum SnapshotRecordCoding {
  static func write(_ contact: Contact, into writer: inout BinaryWriter) {
    writer.string(contact.id)
    writer.string(contact.name)
    writer.string(contact.email)
    writer.string(contact.phone)
    writer.string(contact.language)
    writer.uint(UInt64(contact.identities.count))
    for identity in contact.identities {
      writer.string(identity.channel)
      writer.string(identity.externalId)
    }
    if contact.attributes.isEmpty {
      writer.bool(false)
    } else {
      writer.bool(true)
      writer.json(.object(contact.attributes))
    }
    writer.timestamp(contact.createdAt)
    writer.strings(contact.optedOut)
    writer.strings(contact.unreachable)
  }

  static func contact(_ reader: inout BinaryReader) throws(FieldError) -> Contact {
    let id = try reader.string()
    let name = try reader.optionalString()
    let email = try reader.optionalString()
    let phone = try reader.optionalString()
    let language = try reader.optionalString()
    let identityCount = try reader.count()
    var identities: [ContactIdentity] = []
    identities.reserveCapacity(identityCount)
    for _ in 0..<identityCount {
      identities.append(
        ContactIdentity(channel: try reader.string(), externalId: try reader.string()))
    }
    var attributes = JSONObject()
    if try reader.flag() {
      guard case .object(let object) = try reader.json() else {
        throw reader.error("contact attributes are not an object")
      }
      attributes = object
    }
    return Contact(
      id: id, name: name, email: email, phone: phone, language: language,
      identities: identities, attributes: attributes, createdAt: try reader.timestamp(),
      optedOut: try reader.strings(), unreachable: try reader.strings())
  }

  static func write(_ record: GatewayState.ConversationRecord, into writer: inout BinaryWriter) {
    let conversation = record.conversation
    writer.string(conversation.id)
    writer.string(conversation.contactId)
    writer.string(conversation.channel)
    writer.string(conversation.status.rawValue)
    writer.string(conversation.queue)
    writer.string(conversation.skill)
    writer.string(conversation.tier)
    writer.int(conversation.priority)
    writer.string(conversation.assignee)
    writer.strings(conversation.tags)
    writer.timestamp(conversation.createdAt)
    writer.timestamp(conversation.updatedAt)
    writer.timestamp(conversation.resolvedAt)
    writer.timestamp(conversation.lastInboundAt)
    writer.timestamp(conversation.lastOutboundAt)
    writer.int(conversation.messageCount)
    writer.string(record.threadKey)
    // Sequences ascend: each is written as its distance from the one before (1–3 bytes).
    writer.uint(UInt64(record.eventSequences.count))
    var previous: UInt64 = 0
    for sequence in record.eventSequences {
      writer.int(Int64(bitPattern: sequence &- previous))
      previous = sequence
    }
    writer.timestamp(record.queuedAt)
    writer.string(record.lastInboundProviderId)
    writer.string(record.lastInboundMessageId)
    if let offer = record.offer {
      writer.bool(true)
      writer.string(offer.agent)
      writer.timestamp(offer.expiresAt)
    } else {
      writer.bool(false)
    }
    writer.strings(record.lapsedAgents)
  }

  static func conversationRecord(_ reader: inout BinaryReader) throws(FieldError)
    -> GatewayState.ConversationRecord
  {
    let id = try reader.string()
    let contactId = try reader.string()
    let channel = try reader.string()
    guard let status = ConversationStatus(rawValue: try reader.string()) else {
      throw reader.error("unknown conversation status")
    }
    let conversation = Conversation(
      id: id, contactId: contactId, channel: channel, status: status, queue: try reader.string(),
      skill: try reader.optionalString(), tier: try reader.optionalString(),
      priority: try reader.intValue(), assignee: try reader.optionalString(),
      tags: try reader.strings(), createdAt: try reader.timestamp(),
      updatedAt: try reader.timestamp(), resolvedAt: try reader.optionalTimestamp(),
      lastInboundAt: try reader.optionalTimestamp(),
      lastOutboundAt: try reader.optionalTimestamp(), messageCount: try reader.intValue())
    let threadKey = try reader.string()
    let count = try reader.count()
    var sequences: [UInt64] = []
    sequences.reserveCapacity(count)
    var previous: UInt64 = 0
    for _ in 0..<count {
      previous = previous &+ UInt64(bitPattern: try reader.int())
      sequences.append(previous)
    }
    let queuedAt = try reader.timestamp()
    let providerId = try reader.optionalString()
    let messageId = try reader.optionalString()
    var offer: (agent: String, expiresAt: Timestamp)?
    if try reader.flag() { offer = (try reader.string(), try reader.timestamp()) }
    return GatewayState.ConversationRecord(
      conversation: conversation, threadKey: threadKey, eventSequences: sequences,
      queuedAt: queuedAt, lastInboundProviderId: providerId, lastInboundMessageId: messageId,
      offer: offer, lapsedAgents: try reader.strings())
  }
}
