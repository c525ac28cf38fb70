import JunctionModel

/// A conversation waiting in a queue, as the queue orders it.
public struct QueuedConversation: Sendable, Equatable {
  /// The conversation id.
  public var id: String
  /// The base priority its target gave it.
  public var basePriority: Int
  /// The contact's attributes (for contact boosts).
  public var contact: JSONObject
  /// Since when the customer has been waiting (the gateway uses the first unanswered customer
  /// message, so a transfer does not cost a conversation its place).
  public var waitingSince: Timestamp
  /// Its running SLA deadline, if any.
  public var deadline: SLADeadline?

  /// A waiting conversation.
  public init(
    id: String, basePriority: Int = 0, contact: JSONObject = JSONObject(),
    waitingSince: Timestamp, deadline: SLADeadline? = nil
  ) {
    self.id = id
    self.basePriority = basePriority
    self.contact = contact
    self.waitingSince = waitingSince
    self.deadline = deadline
  }
}

/// Queue order: highest effective priority first, then longest waiting, then id (so the
/// order is total and every node computes the same one).
public enum QueueOrder {
  /// Whether `lhs` is served before `rhs` given their effective priorities.
  public static func servesBefore(
    _ lhs: (priority: Int, waitingSince: Timestamp, id: String),
    _ rhs: (priority: Int, waitingSince: Timestamp, id: String)
  ) -> Bool {
    if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
    if lhs.waitingSince != rhs.waitingSince { return lhs.waitingSince < rhs.waitingSince }
    return lhs.id < rhs.id
  }

  /// `conversations` in the order the queue serves them at `now`, each with its effective
  /// priority.
  public static func sorted(
    _ conversations: [QueuedConversation], policy: PriorityPolicy, now: Timestamp
  ) -> [(conversation: QueuedConversation, priority: PriorityBreakdown)] {
    conversations.map {
      (
        $0,
        policy.effectivePriority(
          base: $0.basePriority, contact: $0.contact, now: now, deadline: $0.deadline)
      )
    }
    .sorted {
      servesBefore(
        ($0.1.total, $0.0.waitingSince, $0.0.id), ($1.1.total, $1.0.waitingSince, $1.0.id))
    }
  }

  /// The conversation served next at `now` (what `claim` hands out), nil for an empty queue.
  public static func next(
    _ conversations: [QueuedConversation], policy: PriorityPolicy, now: Timestamp
  ) -> QueuedConversation? {
    sorted(conversations, policy: policy, now: now).first?.conversation
  }
}
