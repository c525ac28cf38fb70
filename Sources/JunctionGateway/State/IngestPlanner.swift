import JunctionChannels
import JunctionJournal
import JunctionModel

/// Turns a channel's inbound items into events, against the current state.
///
/// Pure: reads state, returns a plan. Decisions rest on the thread and identity streams'
/// versions as read; the journal appends the plan only if those streams have not moved, so two
/// requests racing for one thread (a provider retry arriving twice at once) can never both
/// create a conversation or store one message twice — the loser re-plans on fresh state.
struct IngestPlanner {
  /// How ingest treats conversations.
  struct Policy: Sendable {
    /// A message within this many seconds of its thread's conversation being resolved reopens
    /// it; later ones open a new conversation. 0: always a new one.
    var reopenWindow: Double = 0
  }

  let channel: String
  let now: Timestamp
  let policy: Policy
  var plan = WritePlan<[IngestOutcome]>(outcome: [])
  /// Things created earlier in this same plan.
  private var pendingContacts: [String: String] = [:]
  private var createdContacts: [String: Contact] = [:]
  var pendingConversations: [String: String] = [:]
  /// Part groups changed earlier in this plan.
  var pendingGroups: [String: PartGroup] = [:]
  var pendingMessages: [String: (messageId: String, conversationId: String)] = [:]

  init(channel: String, now: Timestamp, policy: Policy) {
    self.channel = channel
    self.now = now
    self.policy = policy
  }

  static func plan(
    _ items: [InboundItem], channel: String, state: borrowing GatewayState, now: Timestamp,
    policy: Policy = Policy()
  ) -> WritePlan<[IngestOutcome]> {
    var planner = IngestPlanner(channel: channel, now: now, policy: policy)
    for item in items {
      switch item {
      case .message(let message): planner.planMessage(message, state: state)
      case .edit(let edit): planner.planEdit(edit, state: state)
      case .status(let update): planner.planStatus(update, state: state)
      case .part(let part): planner.planPart(part, state: state)
      }
    }
    return planner.plan
  }

  mutating func condition(_ stream: String, state: borrowing GatewayState) {
    plan.require(stream, in: state)
  }

  /// Adds an event: its stored bytes (data written by `data`), its streams and its change.
  mutating func append(
    _ type: String, conversationId: String? = nil, streams: [String], change: StateChange,
    data: (inout JSONWriter) -> Void
  ) {
    plan.events.append(
      PlannedEvent(
        type, at: now, conversationId: conversationId, streams: streams, change: change,
        data: data))
  }

  mutating func planMessage(
    _ message: InboundMessage, aliases: [String] = [], state: borrowing GatewayState
  ) {
    let threadStream = StreamKey.thread(
      channel: channel, key: message.threadKey ?? message.sender.externalId)
    let identity = ContactIdentity(channel: channel, externalId: message.sender.externalId)
    let identityStream = StreamKey.identity(identity.key)
    condition(threadStream, state: state)
    condition(identityStream, state: state)

    let dedupeKey = GatewayState.providerKey(
      channel: channel, providerMessageId: message.providerMessageId)
    if let pending = pendingMessages[dedupeKey] {
      plan.outcome.append(
        .message(
          messageId: pending.messageId, conversationId: pending.conversationId, duplicate: true))
      return
    }
    if let messageId = state.messageByProviderId[dedupeKey], let record = state.messages[messageId]
    {
      plan.outcome.append(
        .message(messageId: messageId, conversationId: record.conversationId, duplicate: true))
      return
    }

    // Mail names its conversation by reference or token; automatic mail never opens one.
    let linked = linkedConversation(message, state: state)
    if message.isAutomatic, !canJoin(linked, thread: threadStream, state: state) {
      planIgnored(message, thread: threadStream)
      return
    }
    let contact = resolveContact(
      message.sender, identity: identity, stream: identityStream, state: state)
    let joined = linked.flatMap { join($0, automatic: message.isAutomatic, state: state) }
    let conversationId =
      joined?.id
      ?? resolveConversation(
        threadStream: threadStream, threadKey: message.threadKey ?? message.sender.externalId,
        contactId: contact.id, state: state)
    let streams =
      [threadStream] + (joined.map { $0.stream == threadStream ? [] : [$0.stream] } ?? [])
    let stored = Message(
      id: Identifier.make("msg"), conversationId: conversationId, contactId: contact.id,
      channel: channel, direction: .inbound, providerMessageId: message.providerMessageId,
      text: message.text, attachments: message.attachments, sentAt: message.sentAt,
      createdAt: now, status: .received, inReplyTo: message.replyToProviderId,
      details: messageDetails(message))
    // The busiest event: its JSON is written after the plan, outside the state lock.
    plan.events.append(
      PlannedEvent(
        deferred: EventType.messageReceived, at: now, conversationId: conversationId,
        streams: streams + [StreamKey.conversation(conversationId)],
        change: .messageRecorded(
          id: stored.id, record: GatewayState.MessageRecord(stored), sentAt: stored.sentAt,
          aliases: aliases, fetchable: stored.fetchableAttachments)
      ) { [contact] writer in
        writer.beginObject()
        writer.key("message")
        stored.write(into: &writer)
        writer.key("contact")
        contact.writeSummary(into: &writer)
        writer.endObject()
      })
    pendingMessages[dedupeKey] = (stored.id, conversationId)
    for alias in aliases {
      pendingMessages[GatewayState.providerKey(channel: channel, providerMessageId: alias)] = (
        stored.id, conversationId
      )
    }
    plan.outcome.append(
      .message(messageId: stored.id, conversationId: conversationId, duplicate: false))
  }

  private func messageDetails(_ message: InboundMessage) -> JSONObject {
    var details = message.details
    if !message.references.isEmpty {
      details["references"] = .array(message.references.map(JSON.string))
    }
    if message.isAutomatic { details["automatic"] = true }
    if let token = message.conversationToken { details["conversation_token"] = .string(token) }
    return details
  }

  /// The contact behind the sender: known, created earlier in this plan, linked by phone or
  /// e-mail (adding this identity), or new.
  private mutating func resolveContact(
    _ sender: SenderProfile, identity: ContactIdentity, stream: String,
    state: borrowing GatewayState
  ) -> Contact {
    if let id = pendingContacts[identity.key],
      let contact = state.contacts[id] ?? pendingContact(id)
    {
      return contact
    }
    if let id = state.contactId(for: identity, phone: sender.phone, email: sender.email),
      let contact = state.contacts[id]
    {
      if state.contactIndex[identity.key] == nil {
        append(
          EventType.contactIdentityAdded, streams: [stream],
          change: .identityAdded(contactId: id, identity: identity)
        ) { writer in
          writer.write(["contact_id": .string(id), "identity": identity.json])
        }
      }
      pendingContacts[identity.key] = id
      return contact
    }
    let contact = Contact(
      id: Identifier.make("ct"), name: sender.name, email: sender.email, phone: sender.phone,
      language: sender.language, identities: [identity], attributes: sender.attributes,
      createdAt: now)
    append(EventType.contactCreated, streams: [stream], change: .contactCreated(contact)) {
      writer in
      writer.beginObject()
      writer.key("contact")
      contact.write(into: &writer)
      writer.endObject()
    }
    pendingContacts[identity.key] = contact.id
    createdContacts[contact.id] = contact
    return contact
  }

  private func pendingContact(_ id: String) -> Contact? { createdContacts[id] }

  mutating func resolveConversation(
    threadStream: String, threadKey: String, contactId: String, state: borrowing GatewayState
  ) -> String {
    if let id = pendingConversations[threadStream] { return id }
    if let id = state.latestConversationByThread[threadStream],
      let existing = state.conversations[id]?.conversation
    {
      // A concurrent resolve must make this plan re-run rather than add to a closed one.
      condition(StreamKey.conversation(id), state: state)
      if existing.status == .open { return id }
      if let resolvedAt = existing.resolvedAt, policy.reopenWindow > 0,
        Double(now.millis - resolvedAt.millis) / 1000 <= policy.reopenWindow
      {
        append(
          EventType.conversationReopened, conversationId: id,
          streams: [threadStream, StreamKey.conversation(id)],
          change: .conversationChanged(.reopened)
        ) { $0.write(["reason": "customer_message", "by": "customer"]) }
        pendingConversations[threadStream] = id
        return id
      }
    }
    let conversation = Conversation(
      id: Identifier.make("conv"), contactId: contactId, channel: channel, createdAt: now,
      updatedAt: now)
    append(
      EventType.conversationCreated, conversationId: conversation.id,
      streams: [threadStream, StreamKey.conversation(conversation.id)],
      change: .conversationCreated(conversation, threadKey: threadKey)
    ) { writer in
      writer.beginObject()
      writer.key("conversation")
      conversation.write(into: &writer)
      writer.key("thread_key")
      writer.string(threadKey)
      writer.endObject()
    }
    pendingConversations[threadStream] = conversation.id
    return conversation.id
  }

  private mutating func planEdit(_ edit: InboundEdit, state: borrowing GatewayState) {
    let threadStream = StreamKey.thread(
      channel: channel, key: edit.threadKey ?? edit.sender.externalId)
    condition(threadStream, state: state)
    let editKey = GatewayState.providerKey(channel: channel, providerMessageId: edit.editId)
    let originalKey = GatewayState.providerKey(
      channel: channel, providerMessageId: edit.providerMessageId)
    guard let messageId = state.messageByProviderId[originalKey],
      let record = state.messages[messageId]
    else {
      plan.outcome.append(.edit(messageId: nil, duplicate: false))
      return
    }
    if state.appliedEdits.contains(editKey) {
      plan.outcome.append(.edit(messageId: messageId, duplicate: true))
      return
    }
    let data: JSON = [
      "message_id": .string(messageId), "channel": .string(channel),
      "edit_id": .string(edit.editId),
      "provider_message_id": .string(edit.providerMessageId), "text": .optional(edit.text),
      "edited_at": (edit.editedAt ?? now).json,
    ]
    append(
      EventType.messageEdited, conversationId: record.conversationId,
      streams: [threadStream, StreamKey.conversation(record.conversationId)],
      change: .messageEdited(channel: channel, editId: edit.editId)
    ) { $0.write(data) }
    plan.outcome.append(.edit(messageId: messageId, duplicate: false))
  }

  private mutating func planStatus(_ update: DeliveryStatusUpdate, state: borrowing GatewayState) {
    let messageId =
      update.messageId
      ?? update.providerMessageId.flatMap {
        state.messageByProviderId[GatewayState.providerKey(channel: channel, providerMessageId: $0)]
      }
    guard let messageId, let record = state.messages[messageId], record.channel == channel,
      record.direction == .outbound
    else {
      plan.outcome.append(.status(messageId: nil, applied: false))
      return
    }
    guard record.status.canAdvance(to: update.status),
      let type = EventType.forStatus(update.status.rawValue)
    else {
      plan.outcome.append(.status(messageId: messageId, applied: false))
      return
    }
    var data: JSONObject = [
      "message_id": .string(messageId), "status": .string(update.status.rawValue),
    ]
    if let providerId = update.providerMessageId {
      data["provider_message_id"] = .string(providerId)
    }
    if let error = update.error { data["error"] = error }
    if let at = update.at { data["reported_at"] = at.json }
    data["source"] = "provider"
    append(
      type, conversationId: record.conversationId,
      streams: [StreamKey.conversation(record.conversationId)],
      change: .statusChanged(
        messageId: messageId, status: update.status, providerMessageId: update.providerMessageId)
    ) { $0.write(.object(data)) }
    plan.outcome.append(.status(messageId: messageId, applied: true))
  }

}
