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
    // gigabytes at 10M events).
    writer.uint(UInt64(contacts.count))
    for contact in contacts.values { SnapshotRecordCoding.write(contact, into: &writer) }
    writeIndexExceptions(contactIndex, keys: contactIndexSuspects, into: &writer)
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
    writeIndexExceptions(messageByProviderId, keys: providerIndexSuspects, into: &writer)
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

  /// Writes the entries of `index` loading the records might get wrong: every suspect key
  /// (``contactIndexSuspects``, ``providerIndexSuspects``) with its value, or without one when
  /// `index` lacks it. Loading derives the index from the records (in any order), then applies
  /// these, giving back `index` exactly. The suspects are kept as changes apply, so this costs
  /// nothing per record (checking every record against its index was half of a snapshot).
  private func writeIndexExceptions(
    _ index: ShardedDictionary<String>, keys: ShardedDictionary<Bool>,
    into writer: inout BinaryWriter
  ) {
    writer.uint(UInt64(keys.count))
    for key in keys.keys {
      writer.string(key)
      writer.string(index[key])
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
