import JunctionModel

extension GatewayState {
  /// Applies one committed event (decoded from its stored form; replay path).
  public mutating func apply(_ event: Event, streams: [String]) {
    apply(
      StateChange(event: event), offset: event.offset, conversationId: event.conversationId,
      at: event.at, streams: streams)
  }

  /// Applies one committed change. Called in journal order, on the journal's writer thread for
  /// live commits and on the starting thread during replay. Every record counts towards its
  /// streams' versions, whatever it changes.
  public mutating func apply(
    _ change: StateChange, offset: UInt64, conversationId: String?, at: Timestamp, streams: [String]
  ) {
    for stream in streams { streamVersions[stream, default: 0] += 1 }
    lastSequence = max(lastSequence, offset)
    if let conversationId {
      conversations[conversationId]?.eventSequences.append(offset)
    }
    switch change {
    case .contactCreated(let contact):
      contacts[contact.id] = contact
      for identity in contact.identities { contactIndex[identity.key] = contact.id }
      if let phone = contact.phone { contactIndex["phone:\(phone)"] = contact.id }
      if let email = contact.email { contactIndex["email:\(email.lowercased())"] = contact.id }

    case .identityAdded(let contactId, let identity):
      contactIndex[identity.key] = contactId
      if contacts[contactId]?.identities.contains(identity) == false {
        contacts[contactId]?.identities.append(identity)
      }

    case .conversationCreated(let conversation, let threadKey):
      let stream = StreamKey.thread(channel: conversation.channel, key: threadKey)
      conversations[conversation.id] = ConversationRecord(
        conversation: conversation, threadKey: stream, eventSequences: [offset])
      openConversationByThread[stream] = conversation.id

    case .messageRecorded(let id, let record, let sentAt):
      messages[id] = record
      if let providerId = record.providerMessageId {
        messageByProviderId[
          Self.providerKey(channel: record.channel, providerMessageId: providerId)] = id
      }
      conversations[record.conversationId]?.record(
        direction: record.direction, sentAt: sentAt, at: at)

    case .messageEdited(let channel, let editId):
      appliedEdits.insert(Self.providerKey(channel: channel, providerMessageId: editId))

    case .statusChanged(let messageId, let status, let providerId):
      guard var record = messages[messageId], record.status.canAdvance(to: status) else { return }
      record.status = status
      if let providerId {
        record.providerMessageId = providerId
        messageByProviderId[
          Self.providerKey(channel: record.channel, providerMessageId: providerId)] = messageId
      }
      messages[messageId] = record

    case .none:
      break
    }
  }
}

extension GatewayState.ConversationRecord {
  mutating func record(direction: MessageDirection, sentAt: Timestamp?, at: Timestamp) {
    conversation.messageCount += 1
    conversation.updatedAt = at
    switch direction {
    case .inbound: conversation.lastInboundAt = sentAt ?? at
    case .outbound: conversation.lastOutboundAt = at
    }
  }
}

extension JSONObject {
  /// The object as a JSON value.
  var asJSON: JSON { .object(self) }
}
