import JunctionModel

/// Bot and SLA events that change a conversation's ``RoutingRecord``.
public enum RoutingFactChange: Sendable, Equatable {
  /// `bot.answered`.
  case botAnswered(entryId: String)
  /// `bot.waiting`: the bot waits for the real question after a greeting.
  case botWaiting(since: Timestamp)
  /// `bot.handoff`: a human takes over (a `conversation.routed` follows).
  case botHandedOff
  /// `sla.warning` / `sla.breached` with the event's key, so it never fires twice.
  case slaRecorded(key: String)
  /// `conversation.waiting_on_customer`: SLA clocks pause until the customer writes.
  case waitingOnCustomer(Timestamp)

  static func decode(type: String, data: FieldReader, at: Timestamp) throws(FieldError)
    -> RoutingFactChange?
  {
    switch type {
    case EventType.botAnswered: return .botAnswered(entryId: try data.string("entry_id"))
    case EventType.botWaiting: return .botWaiting(since: try data.optionalTimestamp("since") ?? at)
    case EventType.botHandoff: return .botHandedOff
    case EventType.slaWarning, EventType.slaBreached:
      let target = try data.string("target")
      let instance = try data.int("instance")
      return .slaRecorded(key: "\(target):\(instance):\(type)")
    case EventType.conversationWaiting: return .waitingOnCustomer(at)
    default: return nil
    }
  }
}

extension GatewayState {
  /// Keeps the conversation's routing record in step with what happened to it.
  mutating func applyRouting(_ change: StateChange, conversationId: String?, at: Timestamp) {
    guard let conversationId else { return }
    switch change {
    case .conversationChanged(.routed(_, _, _, _, let record?)):
      var record = record
      if let previous = routing[conversationId] {
        // A re-route after a bot handoff keeps the bot's history.
        record.botAnswers = previous.botAnswers
        if previous.bot != nil, record.bot == nil { record.bot = .handedOff }
      }
      routing[conversationId] = record
    case .conversationChanged(.transferred(_, _, let escalation)):
      guard routing[conversationId] != nil else { return }
      if let escalation, let workflow = try? FieldReader(.object(escalation)) {
        try? routing[conversationId]?.escalated(workflow: workflow)
      } else {
        routing[conversationId]?.timeoutAt = nil
      }
    case .conversationChanged(.resolved):
      routing[conversationId]?.sla.append(.resolved(at))
    case .messageRecorded(_, let record, _, _, _) where record.direction == .inbound:
      routing.mutateValue(forKey: conversationId) { routed in
        guard routed.bot == nil || routed.bot == .handedOff else { return }
        // A customer message right after another changes no SLA clock (a timer already
        // waits, or none can start): one is kept, so the facts grow with the conversation's
        // turns, not its messages (each timer check folds them all).
        if case .customerMessage? = routed.sla.last { return }
        routed.sla.append(.customerMessage(at))
      }
    case .messageQueued(_, _, _, let author) where author != "bot" && author != "system":
      routing.mutateValue(forKey: conversationId) { routed in
        routed.agentReplied = true
        routed.sla.append(.agentReply(at))
      }
    case .routingFact(let fact):
      switch fact {
      case .botAnswered(let entry):
        routing[conversationId]?.bot = .answered(entryId: entry)
        routing[conversationId]?.botAnswers += 1
      case .botWaiting(let since): routing[conversationId]?.bot = .listening(waitingSince: since)
      case .botHandedOff: routing[conversationId]?.bot = .handedOff
      case .slaRecorded(let key): routing[conversationId]?.sla.append(.recorded(key))
      case .waitingOnCustomer(let since):
        routing[conversationId]?.sla.append(.waitingOnCustomer(since))
      }
    default:
      break
    }
  }
}
