import JunctionModel

extension AssignmentStateMachine {
  /// What should happen at `now`, in the order to journal it: offers that lapsed or whose agent
  /// became unavailable end; unanswered conversations of offline agents return to their queues;
  /// then waiting conversations, highest priority first then oldest, are offered to agents (see
  /// ``AgentSelector``) until no agent has a free slot for them. Applying the actions in order
  /// never puts an agent over capacity or a conversation with two agents.
  ///
  /// `priority` overrides each conversation's stored priority (for boosts that grow with time).
  public func decide(now: Timestamp, priority: ((TrackedConversation) -> Int)? = nil)
    -> [AssignmentAction]
  {
    var scratch = self
    var actions: [AssignmentAction] = []
    func propose(_ action: AssignmentAction) {
      actions.append(action)
      scratch.apply(action, at: now)
    }
    for conversation in conversations.values.sorted(by: { $0.id < $1.id }) {
      switch conversation.holder {
      case .offered(let agent, let expiresAt):
        if agents[agent]?.status != .available {
          propose(.endOffer(conversation: conversation.id, agent: agent, reason: .agentUnavailable))
        } else if expiresAt <= now {
          propose(.endOffer(conversation: conversation.id, agent: agent, reason: .expired))
        }
      case .assigned(let agent, answered: false)
      where (agents[agent]?.status ?? .offline) == .offline:
        propose(.returnToQueue(conversation: conversation.id, agent: agent, reason: .agentOffline))
      case .assigned, .waiting:
        break
      }
    }
    let waiting = scratch.conversations.values.filter { $0.holder == .waiting }
      .map { (conversation: $0, priority: priority?($0) ?? $0.priority) }
      .sorted {
        QueueOrder.servesBefore(
          ($0.priority, $0.conversation.waitingSince, $0.conversation.id),
          ($1.priority, $1.conversation.waitingSince, $1.conversation.id))
      }
    var candidates = scratch.candidates.filter { $0.profile.status == .available }
    // Slots only shrink while deciding: a (queue, skill, kind) that found nobody stays so.
    var hopeless: Set<[String]> = []
    for (conversation, _) in waiting {
      let key = [conversation.queue, conversation.skill ?? "", conversation.channelKind]
      guard !hopeless.contains(key) else { continue }
      guard
        let agent = AgentSelector.choose(
          queue: conversation.queue, skill: conversation.skill,
          channelKind: conversation.channelKind, among: candidates, lapsed: conversation.lapsed),
        let index = candidates.firstIndex(where: { $0.profile.id == agent })
      else {
        if conversation.lapsed.isEmpty { hopeless.insert(key) }
        continue
      }
      let expiresAt = now.adding(seconds: reservationTimeout(queue: conversation.queue))
      propose(.offer(conversation: conversation.id, agent: agent, expiresAt: expiresAt))
      candidates[index].load[conversation.channelKind, default: 0] += 1
    }
    return actions
  }

  /// The agent accepts the offer: `.assign` to journal, or why not.
  public func accept(conversation id: String, agent: String, at time: Timestamp)
    -> Result<AssignmentAction, OfferRejection>
  {
    guard case .offered(let holder, let expiresAt)? = conversations[id]?.holder, holder == agent
    else { return .failure(.noOffer) }
    guard time < expiresAt else { return .failure(.expired) }
    return .success(.assign(conversation: id, agent: agent))
  }

  /// The agent declines the offer: `.endOffer(…, .declined)` to journal, or why not.
  public func decline(conversation id: String, agent: String, at time: Timestamp)
    -> Result<AssignmentAction, OfferRejection>
  {
    guard case .offered(let holder, let expiresAt)? = conversations[id]?.holder, holder == agent
    else { return .failure(.noOffer) }
    guard time < expiresAt else { return .failure(.expired) }
    return .success(.endOffer(conversation: id, agent: agent, reason: .declined))
  }

  /// The earliest offer expiry: when ``decide(now:priority:)`` next has something to do
  /// without any new fact (nil when no offer is outstanding).
  public var nextDeadline: Timestamp? {
    conversations.values.compactMap { conversation -> Timestamp? in
      if case .offered(_, let expiresAt) = conversation.holder { return expiresAt }
      return nil
    }.min()
  }
}
