import JunctionDelivery
import JunctionModel
import JunctionRouting

extension GatewayState {
  /// The JSON snapshot format (written before format 3, ``snapshotBytes()``); still read, older
  /// formats are not (the journal is replayed from the start instead).
  static let snapshotFormat: Int64 = 2

  /// The state as a format-2 JSON snapshot (tests check that Junction still reads them).
  func jsonSnapshotBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 1 << 16)
    writer.beginObject()
    writer.key("format")
    writer.int(Self.snapshotFormat)
    writer.key("last_sequence")
    writer.int(Int64(lastSequence))
    writer.key("contacts")
    writer.beginArray()
    for contact in contacts.values { contact.write(into: &writer) }
    writer.endArray()
    writer.key("conversations")
    writer.beginArray()
    for id in conversationOrder {
      guard let record = conversations[id] else { continue }
      writeConversation(record, into: &writer)
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
    writer.key("idempotency_keys")
    writer.write(.object(JSONObject(idempotencyKeys.map { ($0.key, JSON.string($0.value)) })))
    writer.key("outbox")
    writer.beginArray()
    for entry in outbox.values {
      writer.beginArray()
      writer.string(entry.messageId)
      writer.string(entry.conversationId)
      writer.string(entry.channel)
      writer.int(Int64(entry.queuedOffset))
      writer.int(Int64(entry.attempts))
      if let notBefore = entry.notBefore { writer.int(notBefore.millis) } else { writer.null() }
      writer.int(Int64(entry.partsSent))
      writer.endArray()
    }
    writer.endArray()
    writer.key("pending_attachments")
    writer.beginArray()
    for item in pendingAttachments.values {
      writer.write([
        .string(item.messageId), .int(Int64(item.index)), .string(item.channel),
        .int(Int64(item.offset)),
      ])
    }
    writer.endArray()
    writer.key("blobs")
    writer.beginArray()
    for blob in blobs.values { writer.write(blob.json) }
    writer.endArray()
    writer.key("routing")
    writer.beginObject()
    for (id, record) in routing {
      writer.key(id)
      writer.write(record.json)
    }
    writer.endObject()
    writer.key("config")
    writer.write(["version": .int(Int64(configVersion)), "digest": .optional(configDigest)])
    writer.key("agents")
    writer.beginArray()
    for agent in agents.values { writer.write(agent.json) }
    writer.endArray()
    writer.key("part_groups")
    writer.beginArray()
    for (key, group) in partGroups {
      for part in group.parts.values {
        writer.beginArray()
        writer.int(group.firstAt.millis)
        writer.write(
          PartGroup.json(group: key, part: part, total: group.total, origin: group.origin))
        writer.endArray()
      }
    }
    writer.endArray()
    writer.key("subscriptions")
    writer.beginArray()
    for subscription in subscriptions.values { writer.write(subscription.json) }
    writer.endArray()
    writer.key("replays")
    writer.beginObject()
    for (id, replay) in replays {
      writer.key(id)
      writer.write([.int(Int64(replay.after)), .int(Int64(replay.offset))])
    }
    writer.endObject()
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

  private func writeConversation(_ record: ConversationRecord, into writer: inout JSONWriter) {
    writer.beginObject()
    writer.key("conversation")
    record.conversation.write(into: &writer)
    writer.key("thread_key")
    writer.string(record.threadKey)
    writer.key("queued_at")
    writer.int(record.queuedAt.millis)
    if let offer = record.offer {
      writer.key("offer")
      writer.write([.string(offer.agent), .int(offer.expiresAt.millis)])
    }
    if !record.lapsedAgents.isEmpty {
      writer.key("lapsed")
      writer.write(.array(record.lapsedAgents.map(JSON.string)))
    }
    writer.key("last_inbound")
    writer.write([.optional(record.lastInboundMessageId), .optional(record.lastInboundProviderId)])
    writer.key("events")
    writer.beginArray()
    for sequence in record.eventSequences { writer.int(Int64(sequence)) }
    writer.endArray()
    writer.endObject()
  }

  /// Restores a state from a format-2 JSON snapshot.
  init(jsonSnapshot bytes: [UInt8]) throws(FieldError) {
    let json: JSON
    do {
      json = try JSONParser(maxDepth: 64, allowDuplicateKeys: true).parse(bytes)
    } catch {
      throw FieldError(path: "", message: "snapshot is not JSON: \(error)")
    }
    let root = try FieldReader(json, path: "snapshot")
    guard try root.int("format") == Self.snapshotFormat else {
      throw FieldError(path: "snapshot.format", message: "unsupported snapshot format")
    }
    self.init()
    lastSequence = UInt64(max(0, try root.int("last_sequence")))
    for item in try root.array("contacts") {
      let contact = try Contact(json: item)
      contacts[contact.id] = contact
      indexContact(contact)
    }
    for item in try root.objects("conversations") {
      try restoreConversation(item)
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
    for (key, value) in try root.object("idempotency_keys").object {
      if let id = value.stringValue { idempotencyKeys[key] = id }
    }
    try restoreOutbox(try root.array("outbox"))
    for item in try root.array("pending_attachments") {
      guard let id = item[0]?.stringValue, let index = item[1]?.intValue,
        let channel = item[2]?.stringValue, let offset = item[3]?.intValue
      else { continue }
      pendingAttachments["\(id)#\(index)"] = PendingAttachment(
        messageId: id, index: Int(index), channel: channel, offset: UInt64(offset))
    }
    for item in try root.objects("blobs") {
      let blob = try BlobInfo(json: item)
      blobs[blob.id] = blob
    }
    for (id, value) in try root.object("routing").object {
      routing[id] = try RoutingRecord(json: try FieldReader(value, path: "snapshot.routing"))
    }
    for id in conversationOrder { reindex(id) }
    let config = try root.object("config")
    configVersion = Int(try config.optionalInt("version") ?? 0)
    configDigest = try config.optionalString("digest")
    for item in try root.array("agents") {
      guard let id = item["id"]?.stringValue, var body = item.objectValue else { continue }
      body["id"] = nil
      agents[id] = try AgentProfile(id: id, json: .object(body))
    }
    for item in try root.array("part_groups") {
      guard let firstAt = item[0]?.intValue, let data = item[1] else { continue }
      let (key, part, total, origin) = try PartGroup.decode(try FieldReader(data))
      var group =
        partGroups[key]
        ?? PartGroup(total: total, firstAt: Timestamp(millis: firstAt), origin: origin)
      group.parts[part.index] = part
      partGroups[key] = group
    }
    for item in try root.array("subscriptions") {
      let subscription = try Subscription(json: item, path: "snapshot.subscriptions")
      subscriptions[subscription.id] = subscription
    }
    for (id, value) in try root.object("replays").object {
      guard let after = value[0]?.intValue, let offset = value[1]?.intValue else { continue }
      replays[id] = (UInt64(after), UInt64(offset))
    }
    for (stream, version) in try root.object("stream_versions").object {
      streamVersions[stream] = UInt64(max(0, version.intValue ?? 0))
    }
  }

  private mutating func restoreConversation(_ item: FieldReader) throws(FieldError) {
    let conversation = try Conversation(json: try item.object("conversation").object.asJSON)
    let threadKey = try item.string("thread_key")
    let sequences = try item.array("events").compactMap { $0.intValue.map { UInt64($0) } }
    let lastInbound = try item.array("last_inbound")
    conversations[conversation.id] = ConversationRecord(
      conversation: conversation, threadKey: threadKey, eventSequences: sequences,
      queuedAt: Timestamp(millis: try item.int("queued_at")),
      lastInboundProviderId: lastInbound.count > 1 ? lastInbound[1].stringValue : nil,
      lastInboundMessageId: lastInbound.first?.stringValue,
      offer: try item.array("offer").count == 2
        ? (
          try item.array("offer")[0].stringValue ?? "",
          Timestamp(millis: try item.array("offer")[1].intValue ?? 0)
        ) : nil,
      lapsedAgents: try item.strings("lapsed"))
    conversationOrder.append(conversation.id)
    conversationsByContact[conversation.contactId, default: []].append(conversation.id)
    latestConversationByThread[threadKey] = conversation.id
  }

  private mutating func restoreOutbox(_ items: [JSON]) throws(FieldError) {
    for item in items {
      guard case .array(let fields) = item, fields.count == 7,
        let id = fields[0].stringValue, let conversationId = fields[1].stringValue,
        let channel = fields[2].stringValue, let offset = fields[3].intValue,
        let attempts = fields[4].intValue
      else { throw FieldError(path: "snapshot.outbox", message: "malformed outbox entry") }
      outbox[id] = OutboxEntry(
        messageId: id, conversationId: conversationId, channel: channel,
        queuedOffset: UInt64(offset), attempts: Int(attempts),
        notBefore: fields[5].intValue.map { Timestamp(millis: $0) },
        partsSent: Int(fields[6].intValue ?? 0))
    }
  }
}
