import JunctionModel

extension GatewayState {
  /// The state as snapshot bytes: contacts, conversations, messages and stream versions.
  /// Indexes are derived data and rebuilt on load.
  public func snapshotBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 1 << 16)
    writer.beginObject()
    writer.key("format")
    writer.int(1)
    writer.key("last_sequence")
    writer.int(Int64(lastSequence))
    writer.key("contacts")
    writer.beginArray()
    for contact in contacts.values { writer.write(contact.json) }
    writer.endArray()
    writer.key("conversations")
    writer.beginArray()
    for record in conversations.values {
      writer.beginObject()
      writer.key("conversation")
      writer.write(record.conversation.json)
      writer.key("thread_key")
      writer.string(record.threadKey)
      writer.key("events")
      writer.beginArray()
      for sequence in record.eventSequences { writer.int(Int64(sequence)) }
      writer.endArray()
      writer.endObject()
    }
    writer.endArray()
    writer.key("messages")
    writer.beginArray()
    for (id, record) in messages {
      writer.beginArray()
      writer.string(id)
      writer.string(record.conversationId)
      writer.string(record.channel)
      writer.string(record.direction.rawValue)
      writer.string(record.status.rawValue)
      writer.string(record.providerMessageId)
      writer.endArray()
    }
    writer.endArray()
    writer.key("applied_edits")
    writer.beginArray()
    for key in appliedEdits { writer.string(key) }
    writer.endArray()
    writer.key("stream_versions")
    writer.beginObject()
    for (stream, version) in streamVersions {
      writer.key(stream)
      writer.int(Int64(version))
    }
    writer.endObject()
    writer.endObject()
    return writer.bytes
  }

  /// Restores a state from ``snapshotBytes()``.
  public init(snapshotBytes bytes: [UInt8]) throws(FieldError) {
    let json: JSON
    do {
      json = try JSONParser(maxDepth: 64, allowDuplicateKeys: true).parse(bytes)
    } catch {
      throw FieldError(path: "", message: "snapshot is not JSON: \(error)")
    }
    let root = try FieldReader(json, path: "snapshot")
    guard try root.int("format") == 1 else {
      throw FieldError(path: "snapshot.format", message: "unsupported snapshot format")
    }
    self.init()
    lastSequence = UInt64(max(0, try root.int("last_sequence")))
    for item in try root.array("contacts") {
      let contact = try Contact(json: item)
      contacts[contact.id] = contact
      for identity in contact.identities { contactIndex[identity.key] = contact.id }
      if let phone = contact.phone { contactIndex["phone:\(phone)"] = contact.id }
      if let email = contact.email { contactIndex["email:\(email.lowercased())"] = contact.id }
    }
    for item in try root.objects("conversations") {
      let conversation = try Conversation(json: try item.object("conversation").object.asJSON)
      let threadKey = try item.string("thread_key")
      let sequences = try item.array("events").compactMap { $0.intValue.map { UInt64($0) } }
      conversations[conversation.id] = ConversationRecord(
        conversation: conversation, threadKey: threadKey, eventSequences: sequences)
      if conversation.status == .open {
        if let current = openConversationByThread[threadKey],
          let existing = conversations[current]?.conversation,
          existing.createdAt > conversation.createdAt
        {
          continue
        }
        openConversationByThread[threadKey] = conversation.id
      }
    }
    for item in try root.array("messages") {
      guard case .array(let fields) = item, fields.count == 6,
        let id = fields[0].stringValue, let conversationId = fields[1].stringValue,
        let channel = fields[2].stringValue,
        let direction = fields[3].stringValue.flatMap(MessageDirection.init(rawValue:)),
        let status = fields[4].stringValue.flatMap(DeliveryStatus.init(rawValue:))
      else { throw FieldError(path: "snapshot.messages", message: "malformed message record") }
      let providerId = fields[5].stringValue
      messages[id] = MessageRecord(
        conversationId: conversationId, channel: channel, direction: direction, status: status,
        providerMessageId: providerId)
      if let providerId {
        messageByProviderId[Self.providerKey(channel: channel, providerMessageId: providerId)] = id
      }
    }
    appliedEdits = Set(try root.strings("applied_edits"))
    for (stream, version) in try root.object("stream_versions").object {
      streamVersions[stream] = UInt64(max(0, version.intValue ?? 0))
    }
  }
}
