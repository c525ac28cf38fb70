import JunctionChannels
import JunctionDelivery
import JunctionModel

/// One attempt to send one queued message: read it, split its text to the channel's limit,
/// hand the parts to the adapter (resuming after parts already sent), and say what happened.
struct OutboxAttempt: Sendable {
  /// What became of the attempt.
  enum Outcome: Sendable {
    case sent(messageId: String, providerMessageId: String?, attempt: Int, parts: Int)
    case retry(
      messageId: String, error: ProviderError, retryAfter: Double?, attempt: Int, partsSent: Int
    )
    case failed(
      messageId: String, error: ProviderError, attempt: Int, unreachable: Bool, optedOut: Bool)
    /// The message is no longer pending (already ended, or its record is unreadable).
    case abandoned(messageId: String)
  }

  let dependencies: OutboxRunner.Dependencies
  let messageId: String

  func run() async -> Outcome {
    let snapshot = dependencies.store.read { state -> (GatewayState.OutboxEntry, String)? in
      guard let entry = state.outbox[messageId] else { return nil }
      return (entry, entry.channel)
    }
    guard let (entry, channel) = snapshot else { return .abandoned(messageId: messageId) }
    let attempt = entry.attempts + 1
    guard let adapter = dependencies.adapters[channel] else {
      return .failed(
        messageId: messageId,
        error: ProviderError(
          code: "channel_unavailable", message: "channel \(channel) is not configured"),
        attempt: attempt, unreachable: false, optedOut: false)
    }
    let message: Message
    do {
      message = try OutboundAssembler.storedMessage(
        at: entry.queuedOffset, journal: dependencies.journal)
    } catch {
      dependencies.logger.error(
        "Queued message unreadable.", ["message_id": messageId, "error": "\(error)"])
      return .failed(
        messageId: messageId,
        error: ProviderError(code: "unreadable", message: "\(error)"), attempt: attempt,
        unreachable: false, optedOut: false)
    }
    guard
      let outbound = dependencies.store.read({
        OutboundAssembler.outbound(message, entry: entry, state: $0, links: dependencies.links)
      })
    else { return .abandoned(messageId: messageId) }
    let limit = type(of: adapter).manifest.capabilities.maxTextLength
    let parts: [String?] = message.text.map { TextSplitter.split($0, maxLength: limit) } ?? [nil]
    var providerId: String?
    for index in entry.partsSent..<parts.count {
      // Attachments go with the last part; later parts get their own idempotency keys.
      var part = outbound
      part.text = parts[index]
      if index < parts.count - 1 { part.attachments = [] }
      if index > 0 { part.messageId = "\(messageId)-\(index + 1)" }
      switch await adapter.send(part, transport: dependencies.transport) {
      case .sent(let id, _):
        providerId = providerId ?? id
      case .retry(let error, let retryAfter):
        return .retry(
          messageId: messageId, error: error, retryAfter: retryAfter, attempt: attempt,
          partsSent: index)
      case .failed(let error, let unreachable, let optedOut):
        return .failed(
          messageId: messageId, error: error, attempt: attempt, unreachable: unreachable,
          optedOut: optedOut)
      }
    }
    return .sent(
      messageId: messageId, providerMessageId: providerId, attempt: attempt, parts: parts.count)
  }
}

extension OutboxAttempt.Outcome {
  /// Seconds until the next attempt for a retryable outcome, nil when retries are used up.
  func retryDelay(schedule: RetrySchedule, random: Double) -> Double? {
    guard case .retry(_, _, let retryAfter, let attempt, _) = self else { return nil }
    return schedule.delay(afterAttempt: attempt, retryAfter: retryAfter, random: random)
  }

  /// The events that record this outcome, if the message is still pending.
  func plan(state: borrowing GatewayState, now: Timestamp, retryDelay: Double?) -> WritePlan<Void> {
    var plan = WritePlan<Void>(outcome: ())
    let messageId = id
    guard state.outbox[messageId] != nil,
      let conversationId = state.messages[messageId]?.conversationId
    else { return plan }
    let streams = [StreamKey.conversation(conversationId)]
    func event(_ type: String, _ change: StateChange, _ data: JSON) {
      plan.events.append(
        PlannedEvent(
          type, at: now, conversationId: conversationId, streams: streams, change: change,
          json: data))
    }
    switch self {
    case .sent(_, let providerId, let attempt, let parts):
      var data: JSONObject = [
        "message_id": .string(messageId), "status": "sent", "attempt": .int(Int64(attempt)),
      ]
      if let providerId { data["provider_message_id"] = .string(providerId) }
      if parts > 1 { data["parts"] = .int(Int64(parts)) }
      event(
        EventType.messageSent,
        .statusChanged(messageId: messageId, status: .sent, providerMessageId: providerId),
        .object(data))
    case .retry(_, let error, _, let attempt, let partsSent):
      guard let retryDelay else {
        failure(error, attempt: attempt, exhausted: true, into: event)
        return plan
      }
      let retryAt = Timestamp(millis: now.millis + Int64(retryDelay * 1000))
      event(
        EventType.messageRetrying,
        .sendRetrying(
          messageId: messageId, attempt: attempt, retryAt: retryAt, partsSent: partsSent),
        [
          "message_id": .string(messageId), "attempt": .int(Int64(attempt)),
          "error": error.json, "retry_at": retryAt.json, "parts_sent": .int(Int64(partsSent)),
        ])
    case .failed(_, let error, let attempt, let unreachable, let optedOut):
      failure(error, attempt: attempt, exhausted: false, into: event)
      guard let record = state.conversations[conversationId] else { return plan }
      let contactId = record.conversation.contactId
      let channel = record.conversation.channel
      let contactStreams = [StreamKey.contact(contactId)]
      if unreachable {
        plan.events.append(
          PlannedEvent(
            EventType.contactUnreachable, at: now, streams: contactStreams,
            change: .contactChanged(contactId: contactId, .unreachable(channel: channel)),
            json: [
              "contact_id": .string(contactId), "channel": .string(channel), "error": error.json,
            ]))
      }
      if optedOut {
        plan.events.append(
          PlannedEvent(
            EventType.contactOptedOut, at: now, streams: contactStreams,
            change: .contactChanged(contactId: contactId, .optedOut(channel: channel)),
            json: [
              "contact_id": .string(contactId), "channel": .string(channel),
              "source": "provider",
            ]))
      }
    case .abandoned:
      break
    }
    return plan
  }

  private func failure(
    _ error: ProviderError, attempt: Int, exhausted: Bool,
    into event: (String, StateChange, JSON) -> Void
  ) {
    var data: JSONObject = [
      "message_id": .string(id), "status": "failed", "error": error.json,
      "attempts": .int(Int64(attempt)),
    ]
    if exhausted { data["retries_exhausted"] = true }
    event(
      EventType.messageFailed,
      .statusChanged(messageId: id, status: .failed, providerMessageId: nil), .object(data))
  }

  var id: String {
    switch self {
    case .sent(let id, _, _, _), .retry(let id, _, _, _, _), .failed(let id, _, _, _, _),
      .abandoned(let id):
      return id
    }
  }
}
