import JunctionModel

/// Why an earlier filter was not chosen: its index, name and every condition it missed.
public struct FilterMiss: Sendable, Equatable {
  /// Its index in its list.
  public var index: Int
  /// The filter name.
  public var name: String
  /// Every condition it missed.
  public var misses: [ConditionMiss]

  /// A value from its parts.
  public init(index: Int, name: String, misses: [ConditionMiss]) {
    self.index = index
    self.name = name
    self.misses = misses
  }

  /// The JSON form for explanations.
  public var json: JSON {
    ["filter": .int(Int64(index)), "name": .string(name), "failed": .array(misses.map(\.json))]
  }
}

/// A target of the chosen filter that the conversation passed over, and why.
public struct PassedTarget: Sendable, Equatable {
  /// Why a target was passed over.
  public enum Reason: String, Sendable {
    /// `skip_if_no_agents` and nobody available in its queue.
    case noAgents = "no_agents"
    /// Its timeout passed without an agent's first reply.
    case timedOut = "timed_out"
  }

  /// Its index in its list.
  public var index: Int
  /// The queue the target names.
  public var queue: String
  /// Why it was passed over.
  public var reason: Reason
  /// When it was passed over.
  public var at: Timestamp

  /// A value from its parts.
  public init(index: Int, queue: String, reason: Reason, at: Timestamp) {
    self.index = index
    self.queue = queue
    self.reason = reason
    self.at = at
  }

  /// The JSON form for explanations.
  public var json: JSON {
    [
      "target": .int(Int64(index)), "queue": .string(queue), "reason": .string(reason.rawValue),
      "at": at.json,
    ]
  }
}

/// The queue was closed, so the conversation went on to the queue's overflow.
public struct OverflowStep: Sendable, Equatable {
  /// The closed queue.
  public var from: String
  /// The queue it overflowed to.
  public var to: String

  /// A value from its parts.
  public init(from: String, to: String) {
    self.from = from
    self.to = to
  }

  /// The JSON form for explanations.
  public var json: JSON { ["from": .string(from), "to": .string(to), "reason": "outside_hours"] }
}

/// The queue is closed: it waits until `opensAt`, optionally answering with `reply` at once.
public struct HoldInstruction: Sendable, Equatable {
  /// When the queue opens next (nil when its calendar never opens again).
  public var opensAt: Timestamp?
  /// The text to send the customer now ("We will answer from 09:00"), nil for none.
  public var reply: String?

  /// A value from its parts.
  public init(opensAt: Timestamp?, reply: String?) {
    self.opensAt = opensAt
    self.reply = reply
  }

  /// The JSON form for explanations.
  public var json: JSON {
    ["opens_at": opensAt.map(\.json) ?? .null, "reply": .optional(reply)]
  }
}

/// Where the workflow sent a conversation, and why: the part of `conversation.routed` (and
/// `conversation.transferred` on escalation) that names filter, target, queue and priority.
public struct WorkflowDecision: Sendable, Equatable {
  /// How the queue was reached.
  public enum Outcome: String, Sendable {
    /// A filter matched and one of its targets was chosen.
    case matched
    /// No filter matched: the fallback queue.
    case unmatched
    /// A filter matched but every target was skipped: the fallback queue.
    case allTargetsSkipped = "all_targets_skipped"
    /// The last target's timeout passed: the fallback queue.
    case targetsExhausted = "targets_exhausted"
  }

  /// How the queue was reached.
  public var outcome: Outcome
  /// The chosen filter's index (nil when unmatched).
  public var filterIndex: Int?
  /// The chosen filter's name (nil when unmatched).
  public var filterName: String?
  /// The chosen target's index (nil in the fallback queue).
  public var targetIndex: Int?
  /// The queue the conversation waits in (after any overflow).
  public var queue: String
  /// The base priority (the target's; 0 in the fallback queue).
  public var priority: Int
  /// When the decision was taken.
  public var decidedAt: Timestamp
  /// When to move on to the next target if no agent has replied by then (nil: never).
  public var timeoutAt: Timestamp?
  /// Why each earlier filter did not match.
  public var filterMisses: [FilterMiss]
  /// Targets passed over, in order.
  public var passedTargets: [PassedTarget]
  /// Closed queues passed through on the way to `queue`.
  public var overflow: [OverflowStep]
  /// Set when `queue` is closed now.
  public var hold: HoldInstruction?

  /// A value from its parts.
  public init(
    outcome: Outcome, filterIndex: Int? = nil, filterName: String? = nil, targetIndex: Int? = nil,
    queue: String, priority: Int = 0, decidedAt: Timestamp, timeoutAt: Timestamp? = nil,
    filterMisses: [FilterMiss] = [], passedTargets: [PassedTarget] = [],
    overflow: [OverflowStep] = [], hold: HoldInstruction? = nil
  ) {
    self.outcome = outcome
    self.filterIndex = filterIndex
    self.filterName = filterName
    self.targetIndex = targetIndex
    self.queue = queue
    self.priority = priority
    self.decidedAt = decidedAt
    self.timeoutAt = timeoutAt
    self.filterMisses = filterMisses
    self.passedTargets = passedTargets
    self.overflow = overflow
    self.hold = hold
  }

  /// The explanation as JSON, for `conversation.routed` and route previews:
  /// `{"outcome": "matched", "filter": {"index": 1, "name": "vip chat"}, "target": 0,
  /// "queue": "l1_chat", "priority": 10, "timeout_at": "…", "filters_not_matched": [...],
  /// "targets_passed": [...], "overflow": [...], "hold": null}`.
  public var json: JSON {
    var object: JSONObject = ["outcome": .string(outcome.rawValue)]
    if let filterIndex, let filterName {
      object["filter"] = ["index": .int(Int64(filterIndex)), "name": .string(filterName)]
    } else {
      object["filter"] = .null
    }
    object["target"] = targetIndex.map { .int(Int64($0)) } ?? .null
    object["queue"] = .string(queue)
    object["priority"] = .int(Int64(priority))
    object["decided_at"] = decidedAt.json
    object["timeout_at"] = timeoutAt.map(\.json) ?? .null
    object["filters_not_matched"] = .array(filterMisses.map(\.json))
    object["targets_passed"] = .array(passedTargets.map(\.json))
    object["overflow"] = .array(overflow.map(\.json))
    object["hold"] = hold.map(\.json) ?? .null
    return .object(object)
  }
}
