import JunctionModel
import JunctionRouting

/// Push assignment over the state (issue 6, "Agents and push assignment"): the
/// ``AssignmentStateMachine`` is rebuilt from the journal's projection each time a decision is
/// planned, and its actions are journaled in one batch with conditions on every conversation
/// and agent stream they touch — so two planners (or two nodes) can never assign one
/// conversation twice or fill an agent past capacity: the loser re-plans on fresh state.
struct PushAssignment: Sendable {
  let configuration: RoutingConfiguration
  let kinds: @Sendable (String) -> String

  /// The machine the state describes: every agent, every conversation waiting in a push queue,
  /// and every open conversation an agent holds.
  func machine(_ state: borrowing GatewayState) -> AssignmentStateMachine {
    var machine = AssignmentStateMachine(config: configuration.queueing)
    for agent in state.agents.values { machine.agentUpdated(agent) }
    let pushQueues = Set(configuration.queueing.queues.filter(\.push).map(\.id))
    for queue in pushQueues {
      for id in state.waiting[queue] ?? [] {
        guard let tracked = tracked(id, state: state, push: true) else { continue }
        machine.conversationQueued(tracked)
        if let offer = state.conversations[id]?.offer {
          machine.apply(
            .offer(conversation: id, agent: offer.agent, expiresAt: offer.expiresAt),
            at: offer.expiresAt)
        }
      }
    }
    // Only agents declared for push assignment count: a conversation claimed by someone
    // Junction has no profile for is theirs, whatever their status.
    for (agent, ids) in state.holding where state.agents[agent] != nil {
      for id in ids {
        guard
          let tracked = tracked(
            id, state: state,
            push: pushQueues.contains(state.conversations[id]?.conversation.queue ?? ""))
        else { continue }
        machine.conversationAssigned(tracked, agent: agent, at: tracked.waitingSince)
        if state.routing[id]?.agentReplied == true { machine.agentReplied(conversation: id) }
      }
    }
    return machine
  }

  private func tracked(_ id: String, state: borrowing GatewayState, push: Bool)
    -> TrackedConversation?
  {
    guard let record = state.conversations[id] else { return nil }
    return TrackedConversation(
      id: id, queue: record.conversation.queue, skill: record.conversation.skill,
      channelKind: state.routing[id]?.channelKind ?? kinds(record.conversation.channel),
      priority: record.conversation.priority, waitingSince: record.queuedAt, push: push,
      lapsed: record.lapsedAgents)
  }

  /// Journals what push assignment decides now.
  func decide(state: borrowing GatewayState, now: Timestamp, plans: RoutingPlans)
    -> WritePlan<Void>
  {
    let machine = machine(state)
    var priorities: [String: Int] = [:]
    for id in machine.conversations.keys {
      priorities[id] = plans.priority(id, state: state, now: now)
    }
    let actions = machine.decide(now: now) { priorities[$0.id] ?? $0.priority }
    return plan(actions, state: state, now: now)
  }

  /// The events of `actions`, conditioned on every stream they touch.
  func plan(_ actions: [AssignmentAction], state: borrowing GatewayState, now: Timestamp)
    -> WritePlan<Void>
  {
    var plan = WritePlan<Void>(outcome: ())
    for action in actions {
      let conversation = StreamKey.conversation(action.conversation)
      let agent = StreamKey.agent(action.agent)
      plan.require(conversation, in: state)
      plan.require(agent, in: state)
      var data = action.json.objectValue ?? JSONObject()
      data["by"] = "push"
      let change: ConversationChange
      switch action {
      case .offer(_, let name, let expiresAt): change = .offered(agent: name, expiresAt: expiresAt)
      case .endOffer(_, let name, let reason):
        change = .offerEnded(agent: name, declined: reason != .agentUnavailable)
      case .assign(_, let name):
        change = .assigned(agent: name)
        data["reason"] = "push"
        data["previous"] = .null
      case .returnToQueue: change = .returned
      }
      plan.events.append(
        PlannedEvent(
          action.eventType, at: now, conversationId: action.conversation,
          streams: [conversation, agent], change: .conversationChanged(change),
          json: .object(data)))
    }
    return plan
  }
}
