import JunctionModel

/// Why an offer ended without an assignment.
public enum OfferEndReason: String, Sendable {
  /// Not accepted within the reservation timeout.
  case expired
  /// The agent declined it.
  case declined
  /// The agent went away or offline.
  case agentUnavailable = "agent_unavailable"
}

/// Why an assigned conversation went back to its queue.
public enum ReturnReason: String, Sendable {
  /// The agent went offline before their first reply.
  case agentOffline = "agent_offline"
}

/// What push assignment asks the gateway to journal. Each touches one conversation and one
/// agent: append it on the streams in ``streams`` with conditions on both streams' versions,
/// so that two nodes can never assign one conversation twice or fill one agent past capacity;
/// then ``AssignmentStateMachine/apply(_:at:)`` it.
public enum AssignmentAction: Sendable, Equatable {
  /// Offer the conversation to the agent until `expiresAt` (`conversation.offered`).
  case offer(conversation: String, agent: String, expiresAt: Timestamp)
  /// The offer ended without an assignment (`conversation.offer_ended`).
  case endOffer(conversation: String, agent: String, reason: OfferEndReason)
  /// The agent accepted: the conversation is theirs (`conversation.assigned`).
  case assign(conversation: String, agent: String)
  /// The agent went offline before replying: back to the queue (`conversation.returned`).
  case returnToQueue(conversation: String, agent: String, reason: ReturnReason)

  /// The conversation the action concerns.
  public var conversation: String {
    switch self {
    case .offer(let conversation, _, _), .endOffer(let conversation, _, _),
      .assign(let conversation, _), .returnToQueue(let conversation, _, _):
      return conversation
    }
  }

  /// The agent the action concerns.
  public var agent: String {
    switch self {
    case .offer(_, let agent, _), .endOffer(_, let agent, _), .assign(_, let agent),
      .returnToQueue(_, let agent, _):
      return agent
    }
  }

  /// The journal streams the event belongs to: the conversation and `agent:<id>`.
  public var streams: [String] { [conversation, "agent:\(agent)"] }

  /// The event type to journal.
  public var eventType: String {
    switch self {
    case .offer: return "conversation.offered"
    case .endOffer: return "conversation.offer_ended"
    case .assign: return "conversation.assigned"
    case .returnToQueue: return "conversation.returned"
    }
  }

  /// The event's `data`.
  public var json: JSON {
    var object: JSONObject = ["agent": .string(agent)]
    switch self {
    case .offer(_, _, let expiresAt): object["expires_at"] = expiresAt.json
    case .endOffer(_, _, let reason): object["reason"] = .string(reason.rawValue)
    case .assign: break
    case .returnToQueue(_, _, let reason): object["reason"] = .string(reason.rawValue)
    }
    return .object(object)
  }
}

/// Why an agent's accept or decline was refused (the API answers 409 with it).
public enum OfferRejection: String, Error, Sendable {
  /// No offer of this conversation is outstanding for this agent.
  case noOffer = "no_offer"
  /// The offer's reservation timeout has passed.
  case expired
}
