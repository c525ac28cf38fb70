import JunctionDelivery
import JunctionModel
import JunctionRouting

extension GatewayState {
  /// Reads the binary snapshot's last section (``snapshotBytes()``'s `writeRareRecords`).
  mutating func restoreRareRecords(_ reader: inout BinaryReader) throws(FieldError) {
    for _ in 0..<(try reader.count()) { appliedEdits.insert(try reader.string()) }
    for _ in 0..<(try reader.count()) { idempotencyKeys[try reader.string()] = try reader.string() }
    for _ in 0..<(try reader.count()) {
      let entry = OutboxEntry(
        messageId: try reader.string(), conversationId: try reader.string(),
        channel: try reader.string(), queuedOffset: try reader.uint(),
        attempts: try reader.intValue(), notBefore: try reader.optionalTimestamp(),
        partsSent: try reader.intValue())
      outbox[entry.messageId] = entry
    }
    for _ in 0..<(try reader.count()) {
      let item = PendingAttachment(
        messageId: try reader.string(), index: try reader.intValue(),
        channel: try reader.string(), offset: try reader.uint())
      pendingAttachments["\(item.messageId)#\(item.index)"] = item
    }
    for _ in 0..<(try reader.count()) {
      let blob = try BlobInfo(json: try FieldReader(try reader.json(), path: "snapshot.blobs"))
      blobs[blob.id] = blob
    }
    for _ in 0..<(try reader.count()) {
      let item = try reader.json()
      guard let id = item["id"]?.stringValue, var body = item.objectValue else {
        throw reader.error("agent without an id")
      }
      body["id"] = nil
      agents[id] = try AgentProfile(id: id, json: .object(body))
    }
    for _ in 0..<(try reader.count()) {
      let firstAt = try reader.timestamp()
      let (key, part, total, origin) = try PartGroup.decode(try FieldReader(try reader.json()))
      var group = partGroups[key] ?? PartGroup(total: total, firstAt: firstAt, origin: origin)
      group.parts[part.index] = part
      partGroups[key] = group
    }
    for _ in 0..<(try reader.count()) {
      let subscription = try Subscription(json: try reader.json(), path: "snapshot.subscriptions")
      subscriptions[subscription.id] = subscription
    }
    for _ in 0..<(try reader.count()) {
      replays[try reader.string()] = (try reader.uint(), try reader.uint())
    }
  }
}
