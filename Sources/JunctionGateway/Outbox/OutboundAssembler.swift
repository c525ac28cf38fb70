import JunctionChannels
import JunctionJournal
import JunctionModel

/// Builds the ``OutboundMessage`` an adapter sends from a queued message and the state.
enum OutboundAssembler {
  /// The message of the `message.queued` or `message.received` event at `offset`.
  static func storedMessage(at offset: UInt64, journal: any Journal) throws -> Message {
    let records = try journal.read(after: offset - 1, limit: 1)
    guard let record = records.first, record.sequence == offset else {
      throw OutboxError.missingRecord(offset)
    }
    let event = try Event(storedBytes: record.payload, offset: offset)
    guard let json = event.data["message"] else { throw OutboxError.missingRecord(offset) }
    return try Message(json: json)
  }

  /// What the adapter needs to know to send `message` (nil when the conversation or contact
  /// is gone from the state, which a consistent journal never produces).
  static func outbound(
    _ message: Message, entry: GatewayState.OutboxEntry, state: borrowing GatewayState,
    links: BlobLinks
  ) -> OutboundMessage? {
    guard let record = state.conversations[message.conversationId],
      let contact = state.contacts[record.conversation.contactId]
    else { return nil }
    let channel = record.conversation.channel
    let threadKey = state.rawThreadKey(of: record)
    let externalId =
      contact.identities.first { $0.channel == channel }?.externalId ?? threadKey
    let recipient = SenderProfile(
      externalId: externalId, name: contact.name, email: contact.email, phone: contact.phone,
      language: contact.language, attributes: contact.attributes)
    var inReplyTo = record.lastInboundProviderId
    if let answered = message.inReplyTo, let provider = state.messages[answered]?.providerMessageId
    {
      inReplyTo = provider
    }
    return OutboundMessage(
      messageId: message.id, conversationId: message.conversationId, recipient: recipient,
      threadKey: threadKey == externalId ? nil : threadKey, text: message.text,
      attachments: message.attachments.map { links.resolve($0, blobs: state.blobs) },
      inReplyToProviderId: inReplyTo,
      attempt: entry.attempts + 1, isAutomatic: message.author == "bot",
      lastInboundAt: record.conversation.lastInboundAt, details: message.details)
  }
}

/// Why the outbox could not work on a message.
enum OutboxError: Error, CustomStringConvertible {
  case missingRecord(UInt64)

  var description: String {
    switch self {
    case .missingRecord(let offset): return "no queued message at journal offset \(offset)"
    }
  }
}
