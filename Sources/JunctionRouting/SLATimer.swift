import JunctionModel

/// Which response an SLA timer waits for.
public enum SLATarget: String, Sendable, CaseIterable {
  /// The first agent reply in the conversation.
  case firstResponse = "first_response"
  /// An agent reply to a customer message after the first reply.
  case nextResponse = "next_response"
}

/// One instance of an SLA target: started by a customer message, stopped by the agent's reply
/// (or resolution), paused while the conversation waits on the customer.
///
/// `warningAt` and `dueAt` are the instants the warning point and the deadline are (or were)
/// reached. While the timer runs they are scheduled instants; while it is paused or stopped a
/// non-nil value means the point was reached before the pause or stop, and nil that it was not.
public struct SLATimer: Sendable, Equatable {
  /// Which response was waited for.
  public var target: SLATarget
  /// 1 for the conversation's first timer, then 2, 3 … (stable across replays).
  public var instance: Int
  /// The SLA policy's name.
  public var policy: String
  /// The customer message that started it.
  public var startedAt: Timestamp
  /// The target length in (business) seconds.
  public var targetSeconds: Double
  /// The warning fraction.
  public var warningFraction: Double
  /// Business seconds used before the current running stretch.
  public var usedSeconds: Double
  /// The start of the current running stretch; nil while paused or stopped.
  public var runningSince: Timestamp?
  /// When the reply (or resolution) stopped it.
  public var stoppedAt: Timestamp?
  /// When the warning point is (or was) reached.
  public var warningAt: Timestamp?
  /// When the deadline is (or was) reached.
  public var dueAt: Timestamp?
  /// Whether `sla.warning` for this instance was emitted or replayed.
  public var warningEmitted: Bool
  /// Whether `sla.breached` for this instance was emitted or replayed.
  public var breachEmitted: Bool

  init(
    target: SLATarget, instance: Int, policy: String, startedAt: Timestamp, targetSeconds: Double,
    warningFraction: Double
  ) {
    self.target = target
    self.instance = instance
    self.policy = policy
    self.startedAt = startedAt
    self.targetSeconds = targetSeconds
    self.warningFraction = warningFraction
    usedSeconds = 0
    warningEmitted = false
    breachEmitted = false
  }

  /// Neither running nor paused.
  public var isStopped: Bool { stoppedAt != nil }
  /// Paused while waiting on the customer.
  public var isPaused: Bool { stoppedAt == nil && runningSince == nil }

  /// Starts a running stretch at `time`, scheduling the points not yet reached.
  mutating func run(from time: Timestamp, calendar: BusinessCalendar) {
    runningSince = time
    if warningAt == nil {
      warningAt = calendar.add(
        businessSeconds: max(0, targetSeconds * warningFraction - usedSeconds), to: time)
    }
    if dueAt == nil {
      dueAt = calendar.add(businessSeconds: max(0, targetSeconds - usedSeconds), to: time)
    }
  }

  /// Ends the running stretch at `time`; points scheduled after it are forgotten.
  mutating func halt(at time: Timestamp, calendar: BusinessCalendar) {
    guard let since = runningSince else { return }
    usedSeconds += calendar.businessSeconds(from: since, to: time)
    runningSince = nil
    if let warning = warningAt, warning > time { warningAt = nil }
    if let due = dueAt, due > time { dueAt = nil }
  }

  /// The warning and breach reached by `now` and not yet emitted.
  func due(at now: Timestamp) -> [SLAEvent] {
    var events: [SLAEvent] = []
    if !warningEmitted, let warning = warningAt, warning <= now {
      events.append(event(.warning, at: warning))
    }
    if !breachEmitted, let due = dueAt, due <= now {
      events.append(event(.breached, at: due))
    }
    return events
  }

  /// Stopped and owing nothing: can be forgotten.
  var isSettled: Bool {
    isStopped && (warningAt == nil || warningEmitted) && (dueAt == nil || breachEmitted)
  }

  private func event(_ kind: SLAEvent.Kind, at time: Timestamp) -> SLAEvent {
    SLAEvent(
      kind: kind, target: target, instance: instance, policy: policy, at: time,
      startedAt: startedAt, dueAt: dueAt, targetSeconds: targetSeconds)
  }
}

/// An SLA notification the gateway journals as `sla.warning` or `sla.breached`.
public struct SLAEvent: Sendable, Equatable {
  /// The event type.
  public enum Kind: String, Sendable {
    case warning = "sla.warning"
    case breached = "sla.breached"
  }

  /// Warning or breach.
  public var kind: Kind
  /// Which response was waited for.
  public var target: SLATarget
  /// The timer's instance number.
  public var instance: Int
  /// The SLA policy's name.
  public var policy: String
  /// When the point was reached (not when it was noticed).
  public var at: Timestamp
  /// When the timer started.
  public var startedAt: Timestamp
  /// The deadline, when known.
  public var dueAt: Timestamp?
  /// The target length in (business) seconds.
  public var targetSeconds: Double

  /// A stable key for idempotent journaling: `first_response:1:sla.breached`.
  public var key: String { "\(target.rawValue):\(instance):\(kind.rawValue)" }

  /// The event's `data`: `{"target": "first_response", "instance": 1, "policy": "chat",
  /// "at": …, "started_at": …, "due_at": …, "target_seconds": 120}`.
  public var json: JSON {
    [
      "target": .string(target.rawValue), "instance": .int(Int64(instance)),
      "policy": .string(policy), "at": at.json, "started_at": startedAt.json,
      "due_at": dueAt.map(\.json) ?? .null, "target_seconds": .double(targetSeconds),
    ]
  }
}
