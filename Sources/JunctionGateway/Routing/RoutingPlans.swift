import JunctionChannels
import JunctionModel
import JunctionRouting

/// The journal writes of the router: routing a conversation, the bot's turns, escalations and
/// SLA notifications. Pure planning functions over the state; ``RoutingService`` runs them.
struct RoutingPlans: Sendable {
  let configuration: RoutingConfiguration
  let adapters: [String: any ChannelAdapter]

  func channelKind(_ channel: String) -> String {
    adapters[channel].map { type(of: $0).manifest.kind.rawValue } ?? "chat"
  }

  /// The facts about conversation `id` and the customer's message `text`.
  func facts(
    _ id: String, text: String, attachments: Int, state: borrowing GatewayState, now: Timestamp
  ) -> RoutingFacts? {
    guard let record = state.conversations[id] else { return nil }
    let contact = state.contacts[record.conversation.contactId]
    let window = configuration.understanding.config.complexity.repeatWindow
    let recent = (state.conversationsByContact[record.conversation.contactId] ?? []).filter {
      $0 != id
        && (state.conversations[$0].map {
          Double(now.millis - $0.conversation.createdAt.millis) / 1000 <= window
        } ?? false)
    }.count
    return RoutingFacts(
      text: text, attachments: attachments, channelKind: channelKind(record.conversation.channel),
      language: contact?.language, contact: contact?.attributes ?? JSONObject(),
      recentConversations: recent, time: now)
  }

  /// Routes conversation `id` on the customer's first message; nothing when it is routed.
  func route(
    _ id: String, text: String, attachments: Int, state: borrowing GatewayState, now: Timestamp,
    agentsAvailable: (String) -> Bool
  ) -> WritePlan<Void> {
    var plan = WritePlan<Void>(outcome: ())
    guard state.routing[id] == nil, let record = state.conversations[id],
      record.conversation.status == .open,
      let facts = facts(id, text: text, attachments: attachments, state: state, now: now)
    else { return plan }
    plan.require(StreamKey.conversation(id), in: state)
    let decision = RoutingDecider.decide(
      facts, configuration: configuration, agentsAvailable: agentsAvailable)
    routed(decision, facts: facts, id: id, reason: "first_message", into: &plan)
    if decision.bot, let match = decision.understanding.faq {
      answer(
        entryId: match.entryId, language: match.language, text: match.answer,
        confidence: match.confidence, id: id, record: record, state: state, now: now,
        into: &plan)
    } else if let reply = decision.workflow.hold?.reply {
      _ = OutboundPlanner.queue(
        OutboundPlanner.Draft(text: reply, author: "system", transactional: true, token: "system"),
        conversationId: id, record: record, adapters: adapters, state: state, now: now,
        into: &plan)
    }
    return plan
  }

  /// Appends `conversation.routed`.
  func routed(
    _ decision: RoutingDecision, facts: RoutingFacts, id: String, reason: String,
    into plan: inout WritePlan<Void>
  ) {
    var data = decision.json.objectValue ?? JSONObject()
    data["channel_kind"] = .string(facts.channelKind)
    data["reason"] = .string(reason)
    let record = try? RoutingRecord(routed: FieldReader(.object(data)), at: facts.time)
    plan.events.append(
      PlannedEvent(
        EventType.conversationRouted, at: facts.time, conversationId: id,
        streams: [StreamKey.conversation(id)],
        change: .conversationChanged(
          .routed(
            queue: decision.queue, skill: decision.skill, tier: decision.tier,
            priority: decision.priority.total, record: record)),
        json: .object(data)))
  }

  /// Appends `bot.answered` and the answer itself, through the outbound gate.
  // swift-format-ignore: ParameterCount
  func answer(
    entryId: String, language: String, text: String, confidence: Double?, id: String,
    record: GatewayState.ConversationRecord, state: borrowing GatewayState, now: Timestamp,
    into plan: inout WritePlan<Void>
  ) {
    guard
      case .success(let queued) = OutboundPlanner.queue(
        OutboundPlanner.Draft(
          text: text, author: "bot", inReplyTo: record.lastInboundMessageId, transactional: true,
          token: "bot"),
        conversationId: id, record: record, adapters: adapters, state: state, now: now,
        into: &plan)
    else { return }
    var data: JSONObject = [
      "entry_id": .string(entryId), "language": .string(language),
      "message_id": .string(queued.messageId),
    ]
    if let confidence { data["confidence"] = .double(confidence) }
    plan.events.append(
      PlannedEvent(
        EventType.botAnswered, at: now, conversationId: id, streams: [StreamKey.conversation(id)],
        change: .routingFact(.botAnswered(entryId: entryId)), json: .object(data)))
  }

  /// The bot's turn on a customer message of a conversation it handles: an answer, a handoff,
  /// or (after a greeting) waiting for the real question.
  func botTurn(_ id: String, text: String, state: borrowing GatewayState, now: Timestamp)
    -> WritePlan<Void>
  {
    var plan = WritePlan<Void>(outcome: ())
    guard var machine = botMachine(id, state: state), let record = state.conversations[id],
      record.conversation.status == .open
    else { return plan }
    plan.require(StreamKey.conversation(id), in: state)
    let wasWaiting = machine.waitingSince
    let actions = machine.customerMessage(text, at: now)
    for action in actions {
      switch action {
      case .answer(let entryId, let language, let answer):
        self.answer(
          entryId: entryId, language: language, text: answer, confidence: nil, id: id,
          record: record, state: state, now: now, into: &plan)
      case .handoff(let reason):
        handoff(
          reason, id: id, text: text, state: state, now: now, agentsAvailable: { _ in true },
          into: &plan)
      }
    }
    if actions.isEmpty, wasWaiting == nil, let since = machine.waitingSince {
      plan.events.append(
        PlannedEvent(
          EventType.botWaiting, at: now, conversationId: id,
          streams: [StreamKey.conversation(id)], change: .routingFact(.botWaiting(since: since)),
          json: ["since": since.json]))
    }
    return plan
  }

  /// Appends `bot.handoff` and routes the conversation for humans (the first tier after the
  /// bot's), so an agent can take it at once.
  func handoff(
    _ reason: HandoffReason, id: String, text: String, state: borrowing GatewayState,
    now: Timestamp, agentsAvailable: (String) -> Bool, into plan: inout WritePlan<Void>
  ) {
    plan.events.append(
      PlannedEvent(
        EventType.botHandoff, at: now, conversationId: id, streams: [StreamKey.conversation(id)],
        change: .routingFact(.botHandedOff), json: ["reason": .string(reason.rawValue)]))
    guard let facts = facts(id, text: text, attachments: 0, state: state, now: now) else { return }
    var understanding = configuration.understanding.understand(
      text: text, channelKind: facts.channelKind, contactAttributes: facts.contact,
      recentConversations: facts.recentConversations)
    // The question's skill stands: "call an operator" is not what the customer needs help with.
    if let skill = state.routing[id]?.skill { understanding.skill.skill = skill }
    var decision = RoutingDecider.decide(
      facts, understanding: understanding, tier: RoutingDecider.humanTier(configuration),
      configuration: configuration, agentsAvailable: agentsAvailable)
    decision.bot = false
    routed(decision, facts: facts, id: id, reason: "bot_handoff", into: &plan)
  }
}
