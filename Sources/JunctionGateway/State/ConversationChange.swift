import JunctionModel

/// What a conversation event changes about the conversation itself (not its messages).
///
/// Decoded from `conversation.*` events on replay, carried typed on live appends; applied by
/// ``GatewayState/apply(_:offset:conversationId:at:streams:)``.
public enum ConversationChange: Sendable, Equatable {
  /// `conversation.assigned`: an agent owns it now.
  case assigned(agent: String)
  /// `conversation.unassigned`: back in its queue.
  case unassigned
  /// `conversation.transferred`: moved to another queue (and unassigned); `escalation` is the
  /// workflow's data when the router moved it on after a target's timeout.
  case transferred(queue: String, priority: Int?, escalation: JSONObject? = nil)
  /// `conversation.routed`: the router's decision, and its record for timers.
  case routed(
    queue: String, skill: String?, tier: String?, priority: Int, record: RoutingRecord? = nil)
  /// `conversation.resolved`.
  case resolved
  /// `conversation.reopened`.
  case reopened
  /// `conversation.tagged`: the full tag set after the change.
  case tagged([String])
  /// `conversation.offered`: push assignment offers it to `agent` until `expiresAt`.
  case offered(agent: String, expiresAt: Timestamp)
  /// `conversation.offer_ended`: the offer lapsed, was declined or lost its agent.
  case offerEnded(agent: String, declined: Bool)
  /// `conversation.returned`: its agent went offline before replying; back in the queue.
  case returned
  /// `note.added` and other events that only touch `updated_at`.
  case touched

  /// Decodes the change a `conversation.*` or `note.added` event describes.
  static func decode(type: String, data: FieldReader, at: Timestamp) throws(FieldError)
    -> ConversationChange?
  {
    switch type {
    case EventType.conversationAssigned:
      return .assigned(agent: try data.string("agent"))
    case EventType.conversationUnassigned:
      return .unassigned
    case EventType.conversationTransferred:
      return .transferred(
        queue: try data.string("queue"), priority: try data.optionalInt("priority").map(Int.init),
        escalation: try data.optionalObject("workflow")?.object)
    case EventType.conversationRouted:
      return .routed(
        queue: try data.string("queue"), skill: try data.optionalString("skill"),
        tier: try data.optionalString("tier"),
        priority: Int(try data.optionalInt("priority") ?? 0),
        record: try RoutingRecord(routed: data, at: at))
    case EventType.conversationResolved:
      return .resolved
    case EventType.conversationReopened:
      return .reopened
    case EventType.conversationTagged:
      return .tagged(try data.strings("tags"))
    case EventType.noteAdded:
      return .touched
    case EventType.conversationOffered:
      return .offered(
        agent: try data.string("agent"),
        expiresAt: try data.optionalTimestamp("expires_at") ?? at)
    case EventType.conversationOfferEnded:
      return .offerEnded(
        agent: try data.string("agent"),
        declined: try data.optionalString("reason") != "agent_unavailable")
    case EventType.conversationReturned:
      return .returned
    default:
      return nil
    }
  }
}

extension GatewayState.ConversationRecord {
  /// Applies `change` made at `at`.
  mutating func apply(_ change: ConversationChange, at: Timestamp) {
    conversation.updatedAt = at
    switch change {
    case .assigned(let agent):
      conversation.assignee = agent
      offer = nil
      lapsedAgents = []
    case .unassigned:
      conversation.assignee = nil
      queuedAt = at
    case .transferred(let queue, let priority, _):
      offer = nil
      lapsedAgents = []
      conversation.queue = queue
      conversation.assignee = nil
      if let priority { conversation.priority = priority }
      queuedAt = at
    case .routed(let queue, let skill, let tier, let priority, _):
      if conversation.queue != queue { queuedAt = at }
      conversation.queue = queue
      conversation.skill = skill
      conversation.tier = tier
      conversation.priority = priority
    case .resolved:
      conversation.status = .resolved
      conversation.resolvedAt = at
    case .reopened:
      conversation.status = .open
      conversation.resolvedAt = nil
      queuedAt = at
    case .tagged(let tags):
      conversation.tags = tags
    case .offered(let agent, let expiresAt):
      offer = (agent, expiresAt)
    case .offerEnded(let agent, let declined):
      offer = nil
      if declined { lapsedAgents.append(agent) }
    case .returned:
      conversation.assignee = nil
      queuedAt = at
    case .touched:
      break
    }
  }

  /// Whether the conversation waits in its queue for an agent.
  var isWaiting: Bool { conversation.status == .open && conversation.assignee == nil }
}
