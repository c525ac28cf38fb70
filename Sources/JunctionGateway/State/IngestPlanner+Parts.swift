import JunctionChannels
import JunctionModel

extension IngestPlanner {
  /// Journals one part of a concatenated message; once every part is there, also the joined
  /// message. A part seen before (by provider id or position) is a duplicate.
  mutating func planPart(_ incoming: MessagePart, state: borrowing GatewayState) {
    let message = incoming.message
    let threadStream = StreamKey.thread(
      channel: channel, key: message.threadKey ?? message.sender.externalId)
    condition(threadStream, state: state)
    let dedupeKey = GatewayState.providerKey(
      channel: channel, providerMessageId: message.providerMessageId)
    if let known = state.messageByProviderId[dedupeKey] ?? pendingMessages[dedupeKey]?.messageId {
      plan.outcome.append(.part(messageId: known, duplicate: true))
      return
    }
    let key = PartGroup.key(
      channel: channel, sender: message.sender.externalId, reference: incoming.reference)
    var group =
      pendingGroups[key] ?? state.partGroups[key]
      ?? PartGroup(
        total: incoming.total, firstAt: now,
        origin: PartGroup.Origin(
          channel: channel, reference: incoming.reference, sender: message.sender,
          threadKey: message.threadKey))
    guard incoming.index >= 1, incoming.index <= group.total, group.parts[incoming.index] == nil
    else {
      plan.outcome.append(.part(messageId: nil, duplicate: true))
      return
    }
    let part = PartGroup.Part(
      index: incoming.index, providerMessageId: message.providerMessageId, text: message.text,
      sentAt: message.sentAt)
    group.parts[incoming.index] = part
    pendingGroups[key] = group
    append(
      EventType.messagePartReceived, streams: [threadStream],
      change: .partReceived(group: key, part, total: group.total, origin: group.origin)
    ) {
      $0.write(PartGroup.json(group: key, part: part, total: group.total, origin: group.origin))
    }
    guard group.parts.count == group.total else {
      plan.outcome.append(.part(messageId: nil, duplicate: false))
      return
    }
    let messageId = planJoined(group, key: key, state: state)
    plan.outcome.append(.part(messageId: messageId, duplicate: false))
  }

  /// Records the joined message of `group` and closes the group; returns the message id.
  @discardableResult
  mutating func planJoined(_ group: PartGroup, key: String, state: borrowing GatewayState)
    -> String?
  {
    let (message, aliases, missing) = group.joined()
    let before = plan.outcome.count
    planMessage(message, aliases: aliases, state: state)
    let outcome = plan.outcome.count > before ? plan.outcome.removeLast() : nil
    let threadStream = StreamKey.thread(
      channel: channel, key: message.threadKey ?? message.sender.externalId)
    append(
      EventType.messagePartsJoined, streams: [threadStream], change: .partsJoined(group: key)
    ) {
      $0.write([
        "group": .string(key), "parts": .int(Int64(group.total)),
        "missing": .array(missing.map { .int(Int64($0)) }),
      ])
    }
    pendingGroups[key] = nil
    if case .message(let id, _, _) = outcome { return id }
    return nil
  }
}
