import JunctionModel

extension GatewayState {
  /// Applies one committed event. Called in journal order, on the journal's writer thread for
  /// live commits and on the starting thread during replay. Unknown or malformed events are
  /// counted in the stream versions but otherwise ignored (a newer version may have written
  /// them), never crash.
  public mutating func apply(_ event: Event, streams: [String]) {
    for stream in streams { streamVersions[stream, default: 0] += 1 }
    lastSequence = max(lastSequence, event.offset)
    if let conversationId = event.conversationId {
      conversations[conversationId]?.eventSequences.append(event.offset)
    }
    do {
      try applyData(event)
    } catch {
      // A malformed event cannot be applied; the feed still serves it as written.
    }
  }

  private mutating func applyData(_ event: Event) throws(FieldError) {
    let data = try FieldReader(event.data, path: "data")
    switch event.type {
    case EventType.contactCreated:
      let contact = try Contact(
        json: try data.object("contact").object.asJSON, path: "data.contact")
      contacts[contact.id] = contact
      for identity in contact.identities { contactIndex[identity.key] = contact.id }
      index(contactId: contact.id, phone: contact.phone, email: contact.email)

    case EventType.contactIdentityAdded:
      let contactId = try data.string("contact_id")
      let identity = try ContactIdentity(json: try data.object("identity").object.asJSON)
      contactIndex[identity.key] = contactId
      if contacts[contactId]?.identities.contains(identity) == false {
        contacts[contactId]?.identities.append(identity)
      }

    case EventType.conversationCreated:
      let conversation = try Conversation(
        json: try data.object("conversation").object.asJSON, path: "data.conversation")
      let threadKey = StreamKey.thread(
        channel: conversation.channel, key: try data.string("thread_key"))
      conversations[conversation.id] = ConversationRecord(
        conversation: conversation, threadKey: threadKey, eventSequences: [event.offset])
      openConversationByThread[threadKey] = conversation.id

    case EventType.messageReceived, EventType.messageQueued:
      let message = try Message(
        json: try data.object("message").object.asJSON, path: "data.message")
      messages[message.id] = MessageRecord(
        conversationId: message.conversationId, channel: message.channel,
        direction: message.direction, status: message.status,
        providerMessageId: message.providerMessageId)
      if let providerId = message.providerMessageId {
        messageByProviderId[
          Self.providerKey(channel: message.channel, providerMessageId: providerId)] =
          message.id
      }
      conversations[message.conversationId]?.record(message: message, at: event.at)

    case EventType.messageEdited:
      let editId = try data.string("edit_id")
      let channel = try data.string("channel")
      appliedEdits.insert(Self.providerKey(channel: channel, providerMessageId: editId))

    case EventType.messageSent, EventType.messageDelivered, EventType.messageRead,
      EventType.messageFailed:
      let messageId = try data.string("message_id")
      guard var record = messages[messageId],
        let status = DeliveryStatus(rawValue: try data.string("status")),
        record.status.canAdvance(to: status)
      else { return }
      record.status = status
      if let providerId = try data.optionalString("provider_message_id") {
        record.providerMessageId = providerId
        messageByProviderId[
          Self.providerKey(channel: record.channel, providerMessageId: providerId)] =
          messageId
      }
      messages[messageId] = record

    default:
      break
    }
  }

  private mutating func index(contactId: String, phone: String?, email: String?) {
    if let phone { contactIndex["phone:\(phone)"] = contactId }
    if let email { contactIndex["email:\(email.lowercased())"] = contactId }
  }
}

extension GatewayState.ConversationRecord {
  mutating func record(message: Message, at: Timestamp) {
    conversation.messageCount += 1
    conversation.updatedAt = at
    switch message.direction {
    case .inbound: conversation.lastInboundAt = message.sentAt ?? at
    case .outbound: conversation.lastOutboundAt = at
    }
  }
}

extension JSONObject {
  /// The object as a JSON value.
  var asJSON: JSON { .object(self) }
}
