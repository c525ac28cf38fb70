import JunctionDelivery
import JunctionModel
import JunctionRouting

extension GatewayState {
  /// Starts every binary snapshot (FORMAT.md, "Application state"); a JSON snapshot (format 2)
  /// starts with `{`.
  static let binarySnapshotMagic = Array("JNCSTATE".utf8)
  /// The binary snapshot format version written after the magic.
  static let binarySnapshotFormat: UInt32 = 3

  /// The state as snapshot bytes (binary format 3). Indexes are derived data and rebuilt on
  /// load, except index entries no record explains, which are stored as they are.
  public func snapshotBytes() -> [UInt8] {
    var writer = BinaryWriter(capacity: 1 << 20)
    writer.raw(Self.binarySnapshotMagic)
    withUnsafeBytes(of: Self.binarySnapshotFormat.littleEndian) { writer.raw($0) }
    var section = writer.beginSection()
    writer.uint(lastSequence)
    writer.int(configVersion)
    writer.string(configDigest)
    writer.endSection(section)

    section = writer.beginSection()
    // Records are read straight from the dictionaries (copying them into arrays first cost
    // gigabytes at 10M events); the index exceptions do not depend on the records' order.
    writer.uint(UInt64(contacts.count))
    for contact in contacts.values { SnapshotRecordCoding.write(contact, into: &writer) }
    writeIndexExceptions(
      contactIndex, records: contacts.values.lazy.map { ($0.id, Self.derivedContactKeys($0)) },
      explains: { key, id in contacts[id].map { Self.derivedContactKeys($0).contains(key) } ?? false
      }, into: &writer)
    writer.endSection(section)

    section = writer.beginSection()
    writer.uint(UInt64(conversationOrder.count))
    for id in conversationOrder {
      // Every id in the order has a record (both are only ever added together).
      guard let record = conversations[id] else { continue }
      SnapshotRecordCoding.write(record, into: &writer)
    }
    writer.endSection(section)

    section = writer.beginSection()
    writer.uint(UInt64(messages.count))
    for (id, record) in messages {
      writer.string(id)
      writer.string(record.conversationId)
      writer.string(record.channel)
      writer.string(record.direction.rawValue)
      writer.string(record.status.rawValue)
      writer.string(record.providerMessageId)
    }
    writeIndexExceptions(
      messageByProviderId,
      records: messages.lazy.map { ($0.key, Self.derivedProviderKeys($0.value)) },
      explains: { key, id in messages[id].map { Self.derivedProviderKeys($0) == [key] } ?? false },
      into: &writer)
    writer.endSection(section)

    section = writer.beginSection()
    writer.uint(UInt64(routing.count))
    for (id, record) in routing {
      writer.string(id)
      record.write(into: &writer)
    }
    writer.endSection(section)

    section = writer.beginSection()
    writer.uint(UInt64(streamVersions.count))
    for (stream, version) in streamVersions {
      writer.string(stream)
      writer.uint(version)
    }
    writer.endSection(section)

    section = writer.beginSection()
    writeRareRecords(into: &writer)
    writer.endSection(section)
    return writer.bytes
  }

  /// `contactIndex` keys a contact's record puts there on load (``indexContact(_:)``).
  static func derivedContactKeys(_ contact: Contact) -> [String] {
    var keys = contact.identities.map(\.key)
    if let phone = contact.phone { keys.append("phone:\(phone)") }
    if let email = contact.email { keys.append("email:\(email.lowercased())") }
    return keys
  }

  /// `messageByProviderId` keys a message record puts there on load.
  static func derivedProviderKeys(_ record: MessageRecord) -> [String] {
    guard let providerId = record.providerMessageId else { return [] }
    return [providerKey(channel: record.channel, providerMessageId: providerId)]
  }

  /// Writes what loading `records` (in any order) would get wrong in `index`: derived keys
  /// whose value differs (or that `index` lacks: written without a value), and entries no
  /// record derives (provider aliases, identities moved to another contact). Loading derives
  /// the index, then applies these, giving back `index` exactly.
  private func writeIndexExceptions<Records: Sequence<(String, [String])>>(
    _ index: ShardedDictionary<String>, records: Records, explains: (String, String) -> Bool,
    into writer: inout BinaryWriter
  ) {
    var exceptions: [(key: String, value: String?)] = []
    // Index entries a record derives with the same value; their keys are distinct (one index
    // value per key, a record's repeated key counted once).
    var explained = 0
    for (id, keys) in records {
      for (position, key) in keys.enumerated() where !keys[..<position].contains(key) {
        let current = index[key]
        if current == id { explained += 1 } else { exceptions.append((key, current)) }
      }
    }
    // Entries no record explains exist only when not every entry was explained above; the
    // common case (no aliases) skips a second lookup per entry.
    if explained != index.count {
      for (key, id) in index where !explains(key, id) { exceptions.append((key, id)) }
    }
    writer.uint(UInt64(exceptions.count))
    for (key, value) in exceptions {
      writer.string(key)
      writer.string(value)
    }
  }

  /// The small collections: edits, idempotency keys, outbox, pending attachments, blobs,
  /// agents, part groups, subscriptions, replays.
  private func writeRareRecords(into writer: inout BinaryWriter) {
    writer.uint(UInt64(appliedEdits.count))
    for key in appliedEdits { writer.string(key) }
    writer.uint(UInt64(idempotencyKeys.count))
    for (key, id) in idempotencyKeys {
      writer.string(key)
      writer.string(id)
    }
    writer.uint(UInt64(outbox.count))
    for entry in outbox.values {
      writer.string(entry.messageId)
      writer.string(entry.conversationId)
      writer.string(entry.channel)
      writer.uint(entry.queuedOffset)
      writer.int(entry.attempts)
      writer.timestamp(entry.notBefore)
      writer.int(entry.partsSent)
    }
    writer.uint(UInt64(pendingAttachments.count))
    for item in pendingAttachments.values {
      writer.string(item.messageId)
      writer.int(item.index)
      writer.string(item.channel)
      writer.uint(item.offset)
    }
    writer.uint(UInt64(blobs.count))
    for blob in blobs.values { writer.json(blob.json) }
    writer.uint(UInt64(agents.count))
    for agent in agents.values { writer.json(agent.json) }
    let parts = partGroups.flatMap { key, group in group.parts.values.map { (key, group, $0) } }
    writer.uint(UInt64(parts.count))
    for (key, group, part) in parts {
      writer.timestamp(group.firstAt)
      writer.json(PartGroup.json(group: key, part: part, total: group.total, origin: group.origin))
    }
    writer.uint(UInt64(subscriptions.count))
    for subscription in subscriptions.values { writer.json(subscription.json) }
    writer.uint(UInt64(replays.count))
    for (id, replay) in replays {
      writer.string(id)
      writer.uint(replay.after)
      writer.uint(replay.offset)
    }
  }
}
