import JunctionModel

/// The SLA timers of one conversation, as a value-type state machine with one method per
/// journaled fact.
///
/// The gateway rebuilds it on start by replaying the conversation's events in journal order
/// (`customerMessaged`, `agentReplied`, `waitingOnCustomer`, `resumed`, `resolved`,
/// `termsChanged`, and `warningRecorded`/`breachRecorded` for the `sla.*` events already
/// written), so it reaches the same state as before the restart. Live, it calls
/// ``timerCheck(now:)`` when ``nextCheckAt`` comes, journals what it returns, and keeps the
/// mutated copy only once the append succeeded (a value type: drop the copy on failure and the
/// events come again next time). A warning or breach that is journaled is never returned again.
///
/// Every point is reported exactly once per timer instance, with the instant it was reached,
/// even when the check runs late or after the reply (a reply 10 minutes late still yields its
/// one `sla.breached`, dated at the deadline).
public struct SLAClock: Sendable, Equatable {
  /// The terms new timers start with (and running timers count their time by).
  public private(set) var terms: SLATerms
  /// Running or paused timer, then stopped timers that still owe an event.
  public private(set) var timers: [SLATimer] = []
  /// Whether an agent has replied at least once (later timers are next-response timers).
  public private(set) var agentHasReplied = false
  /// Whether the conversation is waiting on the customer (timers paused).
  public private(set) var isWaitingOnCustomer = false
  /// Whether the conversation is resolved.
  public private(set) var isResolved = false
  /// Timers started so far (the next one gets `instancesStarted + 1`).
  public private(set) var instancesStarted = 0

  /// A clock with no timer yet.
  public init(terms: SLATerms) { self.terms = terms }

  /// The timer still waiting for a reply (running or paused), if any.
  public var activeTimer: SLATimer? { timers.first { !$0.isStopped } }

  /// A customer message: starts a first- or next-response timer unless one is already
  /// waiting, ends a wait on the customer, reopens a resolved conversation.
  public mutating func customerMessaged(at time: Timestamp) {
    isResolved = false
    isWaitingOnCustomer = false
    if let index = activeIndex {
      if timers[index].isPaused { timers[index].run(from: time, calendar: terms.calendar) }
      return
    }
    let target: SLATarget = agentHasReplied ? .nextResponse : .firstResponse
    guard let seconds = terms.seconds(for: target) else { return }
    instancesStarted += 1
    var timer = SLATimer(
      target: target, instance: instancesStarted, policy: terms.policy, startedAt: time,
      targetSeconds: seconds, warningFraction: terms.warningAt)
    timer.run(from: time, calendar: terms.calendar)
    timers.insert(timer, at: 0)
  }

  /// An agent's reply (a helpdesk reply, not a bot's): stops the waiting timer.
  public mutating func agentReplied(at time: Timestamp) {
    agentHasReplied = true
    stopActive(at: time)
  }

  /// The conversation now waits on the customer: the waiting timer pauses.
  public mutating func waitingOnCustomer(at time: Timestamp) {
    isWaitingOnCustomer = true
    if let index = activeIndex { timers[index].halt(at: time, calendar: terms.calendar) }
  }

  /// The wait on the customer ended without a customer message: the paused timer runs again.
  public mutating func resumed(at time: Timestamp) {
    isWaitingOnCustomer = false
    if let index = activeIndex, timers[index].isPaused {
      timers[index].run(from: time, calendar: terms.calendar)
    }
  }

  /// The conversation was resolved: the waiting timer stops (a later customer message
  /// reopens it and starts a next-response timer).
  public mutating func resolved(at time: Timestamp) {
    isResolved = true
    isWaitingOnCustomer = false
    stopActive(at: time)
  }

  /// New terms from now on (a transfer to a queue with another calendar, a new config): the
  /// running timer keeps its target length but counts the rest of its time by the new
  /// calendar; later timers use the new targets.
  public mutating func termsChanged(to newTerms: SLATerms, at time: Timestamp) {
    guard newTerms != terms else { return }
    if let index = activeIndex, !timers[index].isPaused {
      timers[index].halt(at: time, calendar: terms.calendar)
      timers[index].run(from: time, calendar: newTerms.calendar)
    }
    terms = newTerms
  }

  /// Replays a journaled `sla.warning`: it is never emitted again.
  public mutating func warningRecorded(target: SLATarget, instance: Int) {
    mark(target: target, instance: instance) { $0.warningEmitted = true }
  }

  /// Replays a journaled `sla.breached`: it is never emitted again.
  public mutating func breachRecorded(target: SLATarget, instance: Int) {
    mark(target: target, instance: instance) { $0.breachEmitted = true }
  }

  /// Warnings and breaches reached by `now` and not yet emitted, oldest first, marked emitted.
  public mutating func timerCheck(now: Timestamp) -> [SLAEvent] {
    var events: [SLAEvent] = []
    for index in timers.indices {
      let due = timers[index].due(at: now)
      for event in due {
        if event.kind == .warning { timers[index].warningEmitted = true }
        if event.kind == .breached { timers[index].breachEmitted = true }
      }
      events += due
    }
    timers.removeAll(where: \.isSettled)
    return events.sorted { ($0.at, $0.instance) < ($1.at, $1.instance) }
  }

  /// When ``timerCheck(now:)`` next has something to report (possibly in the past); nil when
  /// nothing is scheduled.
  public var nextCheckAt: Timestamp? {
    timers.flatMap { timer -> [Timestamp] in
      [
        timer.warningEmitted ? nil : timer.warningAt, timer.breachEmitted ? nil : timer.dueAt,
      ].compactMap { $0 }
    }.min()
  }

  /// The running timer's deadline (nil when none runs: answered, paused or no SLA).
  public var deadline: SLADeadline? {
    guard let timer = activeTimer, !timer.isPaused, let due = timer.dueAt else { return nil }
    return SLADeadline(
      target: timer.target, instance: timer.instance, dueAt: due,
      targetSeconds: timer.targetSeconds, calendar: terms.calendar)
  }

  /// Whether the conversation is past its deadline at `now` and still unanswered (the
  /// "past SLA" count of `GET /v1/queues`).
  public func isPastDue(at now: Timestamp) -> Bool {
    guard let timer = activeTimer, let due = timer.dueAt else { return false }
    return timer.isPaused || due <= now
  }

  private var activeIndex: Int? { timers.firstIndex { !$0.isStopped } }

  private mutating func stopActive(at time: Timestamp) {
    guard let index = activeIndex else { return }
    timers[index].halt(at: time, calendar: terms.calendar)
    timers[index].stoppedAt = time
    if timers[index].isSettled { timers.remove(at: index) }
  }

  private mutating func mark(target: SLATarget, instance: Int, _ change: (inout SLATimer) -> Void) {
    guard let index = timers.firstIndex(where: { $0.target == target && $0.instance == instance })
    else { return }
    change(&timers[index])
    if timers[index].isSettled { timers.remove(at: index) }
  }
}

/// A running SLA deadline, for priority boosts and dashboards.
public struct SLADeadline: Sendable, Equatable {
  /// Which response the deadline is for.
  public var target: SLATarget
  /// The timer's instance number.
  public var instance: Int
  /// When the target is breached.
  public var dueAt: Timestamp
  /// The target length in (business) seconds.
  public var targetSeconds: Double
  /// The calendar the time is counted in.
  public var calendar: BusinessCalendar

  /// A deadline.
  public init(
    target: SLATarget, instance: Int, dueAt: Timestamp, targetSeconds: Double,
    calendar: BusinessCalendar = .alwaysOpen
  ) {
    self.target = target
    self.instance = instance
    self.dueAt = dueAt
    self.targetSeconds = targetSeconds
    self.calendar = calendar
  }

  /// Business seconds left at `now` (negative once past due).
  public func remainingSeconds(at now: Timestamp) -> Double {
    calendar.signedBusinessSeconds(from: now, to: dueAt)
  }

  /// The fraction of the target left at `now` (1 at the start, 0 at the deadline, negative
  /// after it).
  public func remainingFraction(at now: Timestamp) -> Double {
    targetSeconds > 0 ? remainingSeconds(at: now) / targetSeconds : 0
  }
}
