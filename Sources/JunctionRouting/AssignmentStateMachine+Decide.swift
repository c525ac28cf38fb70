import JunctionModel

/// The facts that decide which agents may take a conversation.
private struct EligibilityKey: Hashable {
  var queue: String
  var skill: String?
  var kind: String
}

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
    let endings = endings(at: now)
    guard !endings.isEmpty else { return offers(at: now, priority: priority) }
    var next = self
    for action in endings { next.apply(action, at: now) }
    return endings + next.offers(at: now, priority: priority)
  }

  /// Offers that lapsed or lost their agent, and unanswered conversations of offline agents.
  private func endings(at now: Timestamp) -> [AssignmentAction] {
    var actions: [AssignmentAction] = []
    let held = conversations.values.filter { $0.holder != .waiting }.sorted { $0.id < $1.id }
    for conversation in held {
      switch conversation.holder {
      case .offered(let agent, let expiresAt):
        if agents[agent]?.status != .available {
          actions.append(
            .endOffer(conversation: conversation.id, agent: agent, reason: .agentUnavailable))
        } else if expiresAt <= now {
          actions.append(.endOffer(conversation: conversation.id, agent: agent, reason: .expired))
        }
      case .assigned(let agent, answered: false)
      where (agents[agent]?.status ?? .offline) == .offline:
        actions.append(
          .returnToQueue(conversation: conversation.id, agent: agent, reason: .agentOffline))
      case .assigned, .waiting:
        break
      }
    }
    return actions
  }

  /// Offers for waiting conversations, best first, while slots last.
  private func offers(at now: Timestamp, priority: ((TrackedConversation) -> Int)?)
    -> [AssignmentAction]
  {
    var actions: [AssignmentAction] = []
    let candidates = self.candidates.filter { $0.profile.status == .available }
    // Free slots per channel kind among available agents; only those kinds can get offers.
    var freeSlots: [String: Int] = [:]
    for candidate in candidates {
      for kind in candidate.profile.capacity.keys {
        freeSlots[kind, default: 0] += candidate.spare(kind)
      }
    }
    let waiting = conversations.values.filter {
      $0.holder == .waiting && freeSlots[$0.channelKind, default: 0] > 0
    }
    let order = waiting.indices.map {
      (priority: priority?(waiting[$0]) ?? waiting[$0].priority, index: $0)
    }.sorted {
      if $0.priority != $1.priority { return $0.priority > $1.priority }
      let (left, right) = (waiting[$0.index], waiting[$1.index])
      if left.waitingSince != right.waitingSince { return left.waitingSince < right.waitingSince }
      return left.id < right.id
    }
    var totalFree = freeSlots.values.reduce(0, +)
    var pools: [String: AgentSelector.Pool] = [:]
    // Who is eligible depends only on (queue, skill, kind) and does not change while deciding.
    var eligibleFor: [EligibilityKey: [Int]] = [:]
    for (_, position) in order {
      let conversation = waiting[position]
      guard freeSlots[conversation.channelKind, default: 0] > 0 else { continue }
      let key = EligibilityKey(
        queue: conversation.queue, skill: conversation.skill, kind: conversation.channelKind)
      let eligible =
        eligibleFor[key]
        ?? candidates.indices.filter {
          candidates[$0].isEligible(queue: key.queue, skill: key.skill, channelKind: key.kind)
        }
      eligibleFor[key] = eligible
      guard !eligible.isEmpty else { continue }
      let pool = pools[key.kind] ?? AgentSelector.Pool(candidates, channelKind: key.kind)
      guard
        let index = AgentSelector.choose(
          eligible: eligible, pool: pool, lapsed: conversation.lapsed)
      else {
        pools[key.kind] = pool
        continue
      }
      let expiresAt = now.adding(seconds: reservationTimeout(queue: conversation.queue))
      actions.append(
        .offer(conversation: conversation.id, agent: pool.ids[index], expiresAt: expiresAt))
      pools[key.kind] = pool
      pools[key.kind]?.spare[index] -= 1
      freeSlots[key.kind, default: 0] -= 1
      totalFree -= 1
      if totalFree == 0 { break }
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
