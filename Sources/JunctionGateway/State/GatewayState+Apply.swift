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
      conversations.mutateValue(forKey: conversationId) { $0.eventSequences.append(offset) }
    }
    applyRouting(change, conversationId: conversationId, at: at)
    switch change {
    case .contactCreated(let contact):
      if let replaced = contacts.updateValue(contact, forKey: contact.id) {
        contactIndexSuspects.insert(contentsOf: Self.derivedContactKeys(replaced))
      }
      indexContact(contact)

    case .identityAdded(let contactId, let identity):
      let previous = contactIndex.updateValue(contactId, forKey: identity.key)
      let derived = contacts.mutateValue(forKey: contactId) { contact in
        if !contact.identities.contains(identity) { contact.identities.append(identity) }
      }
      // Moved from another contact (which still lists it), or no record derives it.
      if !derived || (previous != nil && previous != contactId) {
        contactIndexSuspects.insert(identity.key)
      }

    case .contactChanged(let contactId, let contactChange):
      var before: [String] = []
      var after: [String] = []
      contacts.mutateValue(forKey: contactId) { contact in
        before = Self.derivedContactKeys(contact)
        contact.apply(contactChange)
        after = Self.derivedContactKeys(contact)
      }
      // The index is not touched here: keys the record gained or lost now differ from it.
      if before != after {
        contactIndexSuspects.insert(contentsOf: Set(before).symmetricDifference(after))
      }

    case .conversationCreated(let conversation, let threadKey):
      let stream = StreamKey.thread(channel: conversation.channel, key: threadKey)
      conversations[conversation.id] = ConversationRecord(
        conversation: conversation, threadKey: stream, eventSequences: [offset],
        queuedAt: conversation.createdAt)
      conversationOrder.append(conversation.id)
      conversationsByContact[conversation.contactId, default: []].append(conversation.id)
      latestConversationByThread[stream] = conversation.id
      reindex(conversation.id)

    case .conversationChanged(let conversationChange):
      guard let conversationId else { return }
      conversations.mutateValue(forKey: conversationId) { $0.apply(conversationChange, at: at) }
      reindex(conversationId)

    case .messageRecorded(let id, let record, let sentAt, let aliases, let fetchable):
      recordMessage(id, record)
      for alias in aliases {
        let key = Self.providerKey(channel: record.channel, providerMessageId: alias)
        messageByProviderId[key] = id
        providerIndexSuspects.insert(key)  // no record derives an alias
      }
      conversations.mutateValue(forKey: record.conversationId) { conversation in
        conversation.record(direction: record.direction, sentAt: sentAt, at: at)
        if record.direction == .inbound {
          conversation.lastInboundProviderId = record.providerMessageId
          conversation.lastInboundMessageId = id
        }
      }
      if record.direction == .inbound {
        for index in fetchable {
          pendingAttachments["\(id)#\(index)"] = PendingAttachment(
            messageId: id, index: index, channel: record.channel, offset: offset)
        }
      }

    case .messageQueued(let id, let record, let key, _):
      recordMessage(id, record)
      conversations.mutateValue(forKey: record.conversationId) {
        $0.record(direction: .outbound, sentAt: nil, at: at)
      }
      outbox[id] = OutboxEntry(
        messageId: id, conversationId: record.conversationId, channel: record.channel,
        queuedOffset: offset, attempts: 0, notBefore: nil)
      if let key { idempotencyKeys[key] = id }

    case .messageEdited(let channel, let editId):
      appliedEdits.insert(Self.providerKey(channel: channel, providerMessageId: editId))

    case .statusChanged(let messageId, let status, let providerId):
      if status == .sent || status == .failed { outbox[messageId] = nil }
      guard var record = messages[messageId], record.status.canAdvance(to: status) else { return }
      record.status = status
      if let providerId {
        let key = Self.providerKey(channel: record.channel, providerMessageId: providerId)
        if let old = record.providerMessageId, old != providerId {
          // The old id's entry stays (late statuses still find the message) but is no longer
          // derived.
          providerIndexSuspects.insert(
            Self.providerKey(channel: record.channel, providerMessageId: old))
        }
        record.providerMessageId = providerId
        if let previous = messageByProviderId.updateValue(messageId, forKey: key),
          previous != messageId
        {
          providerIndexSuspects.insert(key)
        }
      }
      messages[messageId] = record

    case .sendRetrying(let messageId, let attempt, let retryAt, let partsSent):
      outbox[messageId]?.attempts = attempt
      outbox[messageId]?.notBefore = retryAt
      outbox[messageId]?.partsSent = partsSent

    case .partReceived(let group, let part, let total, let origin):
      var current = partGroups[group] ?? PartGroup(total: total, firstAt: at, origin: origin)
      current.parts[part.index] = part
      partGroups[group] = current

    case .partsJoined(let group):
      partGroups[group] = nil

    case .blobStored(let messageId, let index, let blob):
      blobs[blob.id] = blob
      if let messageId { pendingAttachments["\(messageId)#\(index)"] = nil }

    case .attachmentFailed(let messageId, let index):
      pendingAttachments["\(messageId)#\(index)"] = nil

    case .subscriptionChanged(let subscriptionChange):
      apply(subscriptionChange, offset: offset)

    case .routingFact:
      if let conversationId { reindex(conversationId) }

    case .agentUpdated(let agent):
      agents[agent.id] = agent

    case .configApplied(let version, let digest):
      configVersion = version
      configDigest = digest

    case .none:
      break
    }
  }

  private mutating func recordMessage(_ id: String, _ record: MessageRecord) {
    let replaced = messages.updateValue(record, forKey: id)
    let key = record.providerMessageId.map {
      Self.providerKey(channel: record.channel, providerMessageId: $0)
    }
    if let replaced, let old = replaced.providerMessageId {
      let oldKey = Self.providerKey(channel: replaced.channel, providerMessageId: old)
      if oldKey != key { providerIndexSuspects.insert(oldKey) }
    }
    // Another message's key taken over: that message still derives it.
    if let key, let previous = messageByProviderId.updateValue(id, forKey: key), previous != id {
      providerIndexSuspects.insert(key)
    }
  }

  /// Puts `contact`'s keys (``derivedContactKeys(_:)``) in ``contactIndex``; a key another
  /// contact held becomes a suspect (both records derive it).
  mutating func indexContact(_ contact: Contact) {
    for identity in contact.identities { indexContactKey(identity.key, contact.id) }
    if let phone = contact.phone { indexContactKey("phone:\(phone)", contact.id) }
    if let email = contact.email { indexContactKey("email:\(email.lowercased())", contact.id) }
  }

  private mutating func indexContactKey(_ key: String, _ contactId: String) {
    if let previous = contactIndex.updateValue(contactId, forKey: key), previous != contactId {
      contactIndexSuspects.insert(key)
    }
  }

  /// Keeps ``waiting`` and ``holding`` in step with a conversation's queue, status and
  /// assignee.
  mutating func reindex(_ conversationId: String) {
    // The keys are collected first: mutating a set while iterating its dictionary's keys view
    // would copy the dictionary and then the whole set, once per event (found by bench/scale).
    let queues = waiting.compactMap { $0.value.contains(conversationId) ? $0.key : nil }
    for queue in queues {
      waiting[queue]?.remove(conversationId)
      if waiting[queue]?.isEmpty == true { waiting[queue] = nil }
    }
    let agents = holding.compactMap { $0.value.contains(conversationId) ? $0.key : nil }
    for agent in agents {
      holding[agent]?.remove(conversationId)
      if holding[agent]?.isEmpty == true { holding[agent] = nil }
    }
    guard let record = conversations[conversationId] else { return }
    let (holder, queue) = indexPlaces(conversationId, record)
    if let holder { holding[holder, default: []].insert(conversationId) }
    if let queue { waiting[queue, default: []].insert(conversationId) }
  }

  /// Where a conversation belongs in ``holding`` and ``waiting``: the agent holding it (open
  /// and assigned) and the queue it waits in (nil while the FAQ bot handles it: no agent should
  /// take it then).
  func indexPlaces(_ id: String, _ record: ConversationRecord) -> (holder: String?, queue: String?)
  {
    let holder = record.conversation.status == .open ? record.conversation.assignee : nil
    guard record.isWaiting else { return (holder, nil) }
    switch routing[id]?.bot {
    case .listening?, .answered?: return (holder, nil)
    default: return (holder, record.conversation.queue)
    }
  }

  private mutating func apply(_ change: SubscriptionChange, offset: UInt64) {
    switch change {
    case .created(var subscription):
      subscription.startAfter = offset
      subscriptions[subscription.id] = subscription
    case .deleted(let id):
      subscriptions[id] = nil
      replays[id] = nil
    case .replayed(let id, let after, _):
      replays[id] = (after, offset)
    case .disabled(let id, let reason):
      subscriptions[id]?.disabledReason = reason
    case .enabled(let id):
      subscriptions[id]?.disabledReason = nil
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
