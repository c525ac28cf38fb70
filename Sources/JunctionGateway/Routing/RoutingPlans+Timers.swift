import JunctionModel
import JunctionRouting

extension RoutingPlans {
  /// The SLA clock of conversation `id`, folded from its recorded facts with the current
  /// terms; nil when no SLA applies.
  func slaClock(_ id: String, state: borrowing GatewayState) -> SLAClock? {
    guard let routed = state.routing[id], routed.slaPolicy != nil,
      let conversation = state.conversations[id]?.conversation,
      let terms = configuration.queueing.slaTerms(
        channelKind: routed.channelKind, priority: conversation.priority,
        queue: conversation.queue)
    else { return nil }
    var clock = SLAClock(terms: terms)
    for fact in routed.sla {
      switch fact {
      case .customerMessage(let at): clock.customerMessaged(at: at)
      case .agentReply(let at): clock.agentReplied(at: at)
      case .waitingOnCustomer(let at): clock.waitingOnCustomer(at: at)
      case .resolved(let at): clock.resolved(at: at)
      case .recorded(let key):
        let parts = key.split(separator: ":")
        guard parts.count == 3, let target = SLATarget(rawValue: String(parts[0])),
          let instance = Int(parts[1])
        else { continue }
        if parts[2] == Substring(EventType.slaWarning) {
          clock.warningRecorded(target: target, instance: instance)
        } else {
          clock.breachRecorded(target: target, instance: instance)
        }
      }
    }
    return clock
  }

  /// Conversation `id`'s priority at `now`: its routed priority (which already has the contact's
  /// boosts) plus the boost for an SLA deadline within `priority.sla_boost.within`.
  func priority(_ id: String, state: borrowing GatewayState, now: Timestamp) -> Int {
    let base = state.conversations[id]?.conversation.priority ?? 0
    guard let deadline = slaClock(id, state: state)?.deadline else { return base }
    return configuration.queueing.priority.effectivePriority(
      base: base, contact: JSONObject(), now: now, deadline: deadline
    ).total
  }

  /// The bot's state machine for conversation `id`, rebuilt from the journal's record.
  func botMachine(_ id: String, state: borrowing GatewayState) -> BotConversationStateMachine? {
    guard let routed = state.routing[id], let bot = routed.bot else { return nil }
    let machineState: BotConversationStateMachine.State
    var waitingSince: Timestamp?
    switch bot {
    case .listening(let since):
      machineState = .listening
      waitingSince = since
    case .answered(let entry): machineState = .answered(entryId: entry)
    case .handedOff: return nil
    }
    return BotConversationStateMachine(
      bot: configuration.understanding.bot, state: machineState, waitingSince: waitingSince,
      answers: routed.botAnswers)
  }

  /// When the router must next look at conversation `id` (escalation, SLA, bot timeout).
  func nextCheck(_ id: String, state: borrowing GatewayState) -> Timestamp? {
    // Most conversations have nothing that can fall due (asked on every customer message).
    guard let routed = state.routing[id],
      routed.timeoutAt != nil || routed.slaPolicy != nil || routed.bot != nil,
      let conversation = state.conversations[id]?.conversation, conversation.status == .open
    else { return nil }
    var times: [Timestamp] = []
    if let timeoutAt = routed.timeoutAt, !routed.agentReplied, conversation.assignee == nil {
      times.append(timeoutAt)
    }
    if let check = slaClock(id, state: state)?.nextCheckAt { times.append(check) }
    if let deadline = botMachine(id, state: state)?.deadline { times.append(deadline) }
    return times.min()
  }

  /// What is due for conversation `id` at `now`: a target timeout moves it on in the workflow
  /// (`conversation.transferred`), SLA points become `sla.warning`/`sla.breached` (each once),
  /// a bot that waited too long hands over.
  func timersDue(
    _ id: String, state: borrowing GatewayState, now: Timestamp,
    agentsAvailable: (String) -> Bool
  ) -> WritePlan<Void> {
    var plan = WritePlan<Void>(outcome: ())
    guard let routed = state.routing[id], let record = state.conversations[id],
      record.conversation.status == .open
    else { return plan }
    let stream = StreamKey.conversation(id)
    plan.require(stream, in: state)
    if var machine = botMachine(id, state: state), machine.deadline.map({ $0 <= now }) == true {
      for case .handoff(let reason) in machine.timerFired(now: now) {
        handoff(
          reason, id: id, text: "", state: state, now: now, agentsAvailable: agentsAvailable,
          into: &plan)
      }
      return plan
    }
    if let timeoutAt = routed.timeoutAt, timeoutAt <= now, !routed.agentReplied,
      record.conversation.assignee == nil
    {
      escalate(
        id, routed: routed, record: record,
        contact: state.contacts[record.conversation.contactId]?.attributes ?? JSONObject(),
        now: now, agentsAvailable: agentsAvailable, into: &plan)
    }
    if var clock = slaClock(id, state: state) {
      for event in clock.timerCheck(now: now) {
        var data = event.json.objectValue ?? JSONObject()
        data["queue"] = .string(record.conversation.queue)
        data["assignee"] = .optional(record.conversation.assignee)
        plan.events.append(
          PlannedEvent(
            event.kind.rawValue, at: now, conversationId: id, streams: [stream],
            change: .routingFact(.slaRecorded(key: event.key)), json: .object(data)))
      }
    }
    return plan
  }

  // swift-format-ignore: ParameterCount
  private func escalate(
    _ id: String, routed: RoutingRecord, record: GatewayState.ConversationRecord,
    contact: JSONObject, now: Timestamp, agentsAvailable: (String) -> Bool,
    into plan: inout WritePlan<Void>
  ) {
    let workflow = configuration.queueing.workflow
    let previous = WorkflowDecision(
      outcome: .matched, filterIndex: routed.filterIndex,
      filterName: routed.filterIndex.flatMap {
        workflow.filters.indices.contains($0) ? workflow.filters[$0].name : nil
      }, targetIndex: routed.targetIndex, queue: record.conversation.queue,
      priority: record.conversation.priority, decidedAt: now, timeoutAt: routed.timeoutAt,
      passedTargets: [])
    let facts = WorkflowFacts(
      skill: routed.skill, tier: routed.tier, channelKind: routed.channelKind,
      language: routed.language,
      contact: contact, time: now)
    guard let next = workflow.escalate(previous, facts: facts, agentsAvailable: agentsAvailable)
    else { return }
    var data: JSONObject = [
      "from_queue": .string(record.conversation.queue), "queue": .string(next.queue),
      "priority": .int(Int64(next.priority)), "reason": "target_timeout", "by": "router",
      "previous_assignee": .null, "workflow": next.json,
    ]
    data["timed_out_at"] = routed.timeoutAt.map(\.json) ?? .null
    plan.events.append(
      PlannedEvent(
        EventType.conversationTransferred, at: now, conversationId: id,
        streams: [StreamKey.conversation(id)],
        change: .conversationChanged(
          .transferred(
            queue: next.queue, priority: next.priority, escalation: next.json.objectValue)),
        json: .object(data)))
  }
}
