import JunctionChannels
import JunctionModel

extension EventType {
  /// Automatic mail (an auto-reply, a list mailing) with no open conversation to join: kept
  /// in the journal, opens nothing.
  public static let messageIgnored = "message.ignored"
  /// An IMAP poller journaled messages up to a UID (`channel`, `mailbox`, `uidvalidity`,
  /// `last_uid`, `uids`), in the same batch as the messages.
  public static let mailboxAdvanced = "mailbox.advanced"
}

/// Mail threading (issue 8): a message naming a known message by `In-Reply-To`/`References`,
/// or a conversation by the `[#TOKEN]` of its subject, joins that conversation; otherwise the
/// sender's thread decides as for any channel. Automatic mail joins an open conversation
/// silently and never opens or reopens one.
extension IngestPlanner {
  /// A conversation found for a message and the thread stream it belongs to.
  struct Link {
    var id: String
    var stream: String
  }

  /// The conversation `message` names: the newest of its references that Junction knows
  /// (inbound message ids and the ids of its own sent mail, on this channel), else the
  /// conversation whose ``MailThreadToken`` is in the subject.
  func linkedConversation(_ message: InboundMessage, state: borrowing GatewayState) -> Link? {
    for reference in message.references.reversed() {
      let key = GatewayState.providerKey(channel: channel, providerMessageId: reference)
      if let pending = pendingMessages[key], let link = link(pending.conversationId, state: state) {
        return link
      }
      if let id = state.messageByProviderId[key], let record = state.messages[id],
        record.channel == channel, let link = link(record.conversationId, state: state)
      {
        return link
      }
    }
    guard let token = message.conversationToken?.uppercased() else { return nil }
    let identity = ContactIdentity(channel: channel, externalId: message.sender.externalId)
    if let contact = state.contactId(
      for: identity, phone: message.sender.phone, email: message.sender.email),
      let ids = state.conversationsByContact[contact],
      let id = ids.last(where: { MailThreadToken.matches(token, conversationId: $0) }),
      state.conversations[id]?.conversation.channel == channel
    {
      return link(id, state: state)
    }
    for (id, record) in state.conversations
    where record.conversation.channel == channel
      && MailThreadToken.matches(token, conversationId: id)
    {
      return Link(id: id, stream: record.threadKey)
    }
    return nil
  }

  private func link(_ conversationId: String, state: borrowing GatewayState) -> Link? {
    if let record = state.conversations[conversationId] {
      return Link(id: conversationId, stream: record.threadKey)
    }
    return pendingConversations.first { $0.value == conversationId }.map {
      Link(id: conversationId, stream: $0.key)
    }
  }

  /// Whether automatic mail has an open conversation to join: the linked one, else the
  /// sender's latest.
  func canJoin(_ linked: Link?, thread: String, state: borrowing GatewayState) -> Bool {
    for id in [linked?.id, pendingConversations[thread], state.latestConversationByThread[thread]] {
      guard let id else { continue }
      if let record = state.conversations[id] {
        if record.conversation.status == .open { return true }
      } else if pendingConversations.values.contains(id) {
        return true
      }
    }
    return false
  }

  /// The linked conversation to add the message to: open, or resolved within the reopen
  /// window (reopened, unless the mail is automatic); nil when the sender's thread decides.
  mutating func join(_ link: Link, automatic: Bool, state: borrowing GatewayState) -> Link? {
    condition(link.stream, state: state)
    guard let existing = state.conversations[link.id]?.conversation else { return link }
    condition(StreamKey.conversation(link.id), state: state)
    if existing.status == .open || pendingConversations[link.stream] == link.id { return link }
    guard !automatic, let resolvedAt = existing.resolvedAt, policy.reopenWindow > 0,
      Double(now.millis - resolvedAt.millis) / 1000 <= policy.reopenWindow
    else { return nil }
    append(
      EventType.conversationReopened, conversationId: link.id,
      streams: [link.stream, StreamKey.conversation(link.id)],
      change: .conversationChanged(.reopened)
    ) { $0.write(["reason": "customer_message", "by": "customer"]) }
    pendingConversations[link.stream] = link.id
    return link
  }

  /// Journals automatic mail that has no conversation to join (`message.ignored`).
  mutating func planIgnored(_ message: InboundMessage, thread: String) {
    let id = Identifier.make("msg")
    var data: JSONObject = [
      "message_id": .string(id), "channel": .string(channel),
      "provider_message_id": .string(message.providerMessageId), "reason": "automatic",
      "from": ["id": .string(message.sender.externalId), "name": .optional(message.sender.name)],
      "attachments": .array(message.attachments.map(\.json)),
    ]
    data["details"] = .object(message.details)
    append(EventType.messageIgnored, streams: [thread], change: .none) { $0.write(.object(data)) }
    plan.outcome.append(.message(messageId: id, conversationId: "", duplicate: false))
  }
}
