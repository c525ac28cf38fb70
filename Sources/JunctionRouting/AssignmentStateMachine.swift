import JunctionModel

/// A conversation push assignment tracks: waiting in a push queue, offered, or held by an agent.
public struct TrackedConversation: Sendable, Equatable {
  /// Who holds it.
  public enum Holder: Sendable, Equatable {
    /// Waiting for an offer.
    case waiting
    /// Offered to `agent` until `expiresAt`.
    case offered(agent: String, expiresAt: Timestamp)
    /// Assigned to `agent`; `answered` once they replied.
    case assigned(agent: String, answered: Bool)
  }

  /// The conversation id.
  public var id: String
  /// The queue it waits in.
  public var queue: String
  /// Its skill (nil: any agent may take it).
  public var skill: String?
  /// The channel kind whose capacity it uses.
  public var channelKind: String
  /// The priority it is offered by (the gateway passes the effective priority).
  public var priority: Int
  /// Since when the customer has waited (older goes first).
  public var waitingSince: Timestamp
  /// Whether its queue pushes (a pull-queue conversation is tracked only while assigned).
  public var push: Bool
  /// Who holds it now.
  public var holder: Holder
  /// Agents whose offer of it lapsed or who declined it, oldest first.
  public var lapsed: [String]

  /// A tracked conversation.
  public init(
    id: String, queue: String, skill: String?, channelKind: String, priority: Int = 0,
    waitingSince: Timestamp, push: Bool = true, holder: Holder = .waiting, lapsed: [String] = []
  ) {
    self.id = id
    self.queue = queue
    self.skill = skill
    self.channelKind = channelKind
    self.priority = priority
    self.waitingSince = waitingSince
    self.push = push
    self.holder = holder
    self.lapsed = lapsed
  }

  /// The agent holding it (offered or assigned).
  public var holderAgent: String? {
    switch holder {
    case .waiting: return nil
    case .offered(let agent, _), .assigned(let agent, _): return agent
    }
  }
}

/// Push assignment for every agent and every conversation that occupies or awaits one, as a
/// value-type state machine.
///
/// Facts already in the journal enter through the mutating methods (`agentUpdated`,
/// `conversationQueued`, `conversationAssigned`, `agentReplied`, `conversationReleased`, and
/// ``apply(_:at:)`` for this machine's own actions once journaled). Decisions are pure:
/// ``decide(now:)`` proposes expiries, returns and offers, ``accept(conversation:agent:at:)``
/// and ``decline(conversation:agent:at:)`` check an agent's answer. The gateway journals a
/// proposal with conditional appends and applies it only when the append succeeded, so the
/// state is always a projection of the journal and replaying it rebuilds the same machine.
public struct AssignmentStateMachine: Sendable, Equatable {
  /// Agents by id.
  public private(set) var agents: [String: AgentProfile] = [:]
  /// When each agent last got a conversation (for "longest idle").
  public private(set) var lastAssignedAt: [String: Timestamp] = [:]
  /// Tracked conversations by id.
  public private(set) var conversations: [String: TrackedConversation] = [:]
  /// Reservation timeouts of queues that set their own.
  public var reservationTimeouts: [String: Double]
  /// The reservation timeout of queues without their own.
  public var defaultReservationTimeout: Double

  /// A machine with no agents and no conversations.
  public init(
    defaultReservationTimeout: Double = QueueingConfig.defaultReservationTimeout,
    reservationTimeouts: [String: Double] = [:]
  ) {
    self.defaultReservationTimeout = defaultReservationTimeout
    self.reservationTimeouts = reservationTimeouts
  }

  /// A machine with the reservation timeouts of `config`.
  public init(config: QueueingConfig) {
    self.init(
      defaultReservationTimeout: config.reservationTimeout,
      reservationTimeouts: Dictionary(
        config.queues.compactMap { queue in queue.reservationTimeout.map { (queue.id, $0) } },
        uniquingKeysWith: { first, _ in first }))
  }

  // MARK: Facts

  /// An agent was created or changed (`PUT /v1/agents/{id}`).
  public mutating func agentUpdated(_ profile: AgentProfile) {
    agents[profile.id] = profile
  }

  /// The conversation now waits in `queue` (routed, escalated, transferred or re-routed); any
  /// offer or assignment it had is released. A pull queue's conversation is not tracked.
  public mutating func conversationQueued(_ conversation: TrackedConversation) {
    var waiting = conversation
    waiting.holder = .waiting
    if let previous = conversations[conversation.id], previous.queue == conversation.queue {
      waiting.lapsed = previous.lapsed
    }
    conversations[conversation.id] = waiting.push ? waiting : nil
  }

  /// The conversation was assigned outside push (claim, `assign` action): it occupies the agent.
  public mutating func conversationAssigned(
    _ conversation: TrackedConversation, agent: String, at time: Timestamp
  ) {
    var held = conversation
    held.holder = .assigned(agent: agent, answered: false)
    conversations[conversation.id] = held
    lastAssignedAt[agent] = time
  }

  /// The holding agent replied: the conversation stays with them if they go offline later.
  public mutating func agentReplied(conversation id: String) {
    guard case .assigned(let agent, _)? = conversations[id]?.holder else { return }
    conversations[id]?.holder = .assigned(agent: agent, answered: true)
  }

  /// The conversation no longer needs push assignment (resolved, unassigned into a pull
  /// queue, deleted): it frees its agent's slot.
  public mutating func conversationReleased(_ id: String) {
    conversations[id] = nil
  }

  /// Applies a journaled action of this machine.
  public mutating func apply(_ action: AssignmentAction, at time: Timestamp) {
    guard var conversation = conversations[action.conversation] else { return }
    switch action {
    case .offer(_, let agent, let expiresAt):
      conversation.holder = .offered(agent: agent, expiresAt: expiresAt)
    case .endOffer(_, let agent, let reason):
      conversation.holder = .waiting
      if reason != .agentUnavailable { conversation.lapsed.append(agent) }
    case .assign(_, let agent):
      conversation.holder = .assigned(agent: agent, answered: false)
      conversation.lapsed = []
      lastAssignedAt[agent] = time
    case .returnToQueue:
      conversation.holder = .waiting
      guard conversation.push else {
        conversations[action.conversation] = nil
        return
      }
    }
    conversations[action.conversation] = conversation
  }

  /// Conversations held per agent and channel kind (offers included).
  public var load: [String: [String: Int]] {
    var load: [String: [String: Int]] = [:]
    for conversation in conversations.values {
      guard let agent = conversation.holderAgent else { continue }
      load[agent, default: [:]][conversation.channelKind, default: 0] += 1
    }
    return load
  }

  /// The selector's view of every agent.
  public var candidates: [AgentCandidate] {
    let load = self.load
    return agents.values.sorted { $0.id < $1.id }.map {
      AgentCandidate(profile: $0, load: load[$0.id] ?? [:], lastAssignedAt: lastAssignedAt[$0.id])
    }
  }

  /// The reservation timeout of offers in `queue`.
  public func reservationTimeout(queue: String) -> Double {
    reservationTimeouts[queue] ?? defaultReservationTimeout
  }
}
