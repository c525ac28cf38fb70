import JunctionModel
import JunctionRouting
import Testing

private func at(_ text: String) -> Timestamp { QueueingFixtures.at(text) }

@Suite struct SLAClockTests {
  let chat = SLATerms(policy: "chat", firstResponse: 120, nextResponse: 300, warningAt: 0.8)
  let t0 = at("2026-11-23T10:00:00Z")

  func after(_ seconds: Double) -> Timestamp { t0.adding(seconds: seconds) }

  @Test func replyInTimeEmitsNothing() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    #expect(clock.nextCheckAt == after(96))
    #expect(clock.deadline?.dueAt == after(120))
    #expect(clock.timerCheck(now: after(60)) == [])
    clock.agentReplied(at: after(90))
    #expect(clock.timerCheck(now: after(500)) == [])
    #expect(clock.timers.isEmpty && clock.nextCheckAt == nil && clock.deadline == nil)
    #expect(!clock.isPastDue(at: after(500)))
  }

  @Test func warningAndBreachFireOnceEach() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    let warning = clock.timerCheck(now: after(100))
    #expect(warning.map(\.kind) == [.warning])
    #expect(warning.first?.at == after(96) && warning.first?.dueAt == after(120))
    #expect(clock.timerCheck(now: after(110)) == [])
    #expect(clock.nextCheckAt == after(120))
    #expect(!clock.isPastDue(at: after(119)) && clock.isPastDue(at: after(120)))
    let breach = clock.timerCheck(now: after(130))
    #expect(breach.map(\.kind) == [.breached] && breach.first?.at == after(120))
    #expect(clock.timerCheck(now: after(1000)) == [])
    #expect(clock.nextCheckAt == nil)
    clock.agentReplied(at: after(2000))
    #expect(clock.timerCheck(now: after(3000)) == [] && clock.timers.isEmpty)
  }

  @Test func lateCheckReportsBothInOrder() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    let events = clock.timerCheck(now: after(600))
    #expect(events.map(\.kind) == [.warning, .breached])
    #expect(events.map(\.at) == [after(96), after(120)])
    #expect(events[1].key == "first_response:1:sla.breached")
    #expect(events[1].json["target_seconds"] == 120.0 && events[1].json["policy"] == "chat")
  }

  @Test func lateReplyStillYieldsItsBreach() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    clock.agentReplied(at: after(300))
    #expect(clock.nextCheckAt == after(96))
    #expect(clock.timerCheck(now: after(301)).map(\.kind) == [.warning, .breached])
    #expect(clock.timerCheck(now: after(302)) == [] && clock.timers.isEmpty)
  }

  @Test func replyAfterTheWarningPointOwesOnlyTheWarning() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    clock.agentReplied(at: after(100))
    #expect(clock.timerCheck(now: after(500)).map(\.kind) == [.warning])
  }

  @Test func waitingOnTheCustomerPausesTheTimer() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    clock.waitingOnCustomer(at: after(60))
    #expect(clock.deadline == nil && clock.nextCheckAt == nil)
    #expect(clock.timerCheck(now: after(10_000)) == [])
    #expect(!clock.isPastDue(at: after(10_000)))
    clock.resumed(at: after(10_000))
    // 60 seconds were used: the warning comes 36 s after resuming, the deadline 60 s after.
    #expect(clock.nextCheckAt == after(10_036))
    #expect(clock.deadline?.dueAt == after(10_060))
    // A customer message while paused resumes the same timer.
    clock.waitingOnCustomer(at: after(10_030))
    clock.customerMessaged(at: after(20_000))
    #expect(clock.deadline?.dueAt == after(20_030) && clock.activeTimer?.instance == 1)
    #expect(clock.timerCheck(now: after(20_030)).map(\.kind) == [.warning, .breached])
  }

  @Test func pauseAfterTheWarningKeepsIt() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    clock.waitingOnCustomer(at: after(100))
    #expect(clock.timerCheck(now: after(200)).map(\.at) == [after(96)])
    clock.resumed(at: after(1000))
    #expect(clock.deadline?.dueAt == after(1020))
    #expect(clock.timerCheck(now: after(1020)).map(\.kind) == [.breached])
  }

  @Test func laterCustomerMessagesStartNextResponseTimers() {
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: t0)
    clock.customerMessaged(at: after(60))  // does not restart the first-response timer
    #expect(clock.deadline?.dueAt == after(120))
    clock.agentReplied(at: after(100))
    clock.customerMessaged(at: after(1000))
    #expect(clock.activeTimer?.target == .nextResponse && clock.activeTimer?.instance == 2)
    #expect(clock.deadline?.dueAt == after(1300))
    clock.resolved(at: after(1100))
    #expect(clock.isResolved && clock.activeTimer == nil)
    clock.customerMessaged(at: after(5000))
    #expect(!clock.isResolved && clock.activeTimer?.instance == 3)
    // The first reply came after the warning point (100 s > 96 s): that warning is owed too.
    #expect(
      clock.timerCheck(now: after(5300)).map(\.key) == [
        "first_response:1:sla.warning", "next_response:3:sla.warning",
        "next_response:3:sla.breached",
      ])
  }

  @Test func missingTargetsStartNoTimer() {
    var clock = SLAClock(terms: SLATerms(policy: "email", firstResponse: 86_400))
    clock.customerMessaged(at: t0)
    clock.agentReplied(at: after(10))
    clock.customerMessaged(at: after(20))
    #expect(clock.activeTimer == nil && clock.instancesStarted == 1)
  }

  @Test func businessTimeStopsOutsideHours() {
    let office = QueueingFixtures.calendar(
      "Europe/Moscow", #"{"mon": [["09:00","18:00"]], "fri": [["09:00","18:00"]]}"#)
    var clock = SLAClock(
      terms: SLATerms(policy: "chat", firstResponse: 120, warningAt: 0.5, calendar: office))
    clock.customerMessaged(at: at("2026-11-27T17:59:00+03:00"))
    #expect(clock.deadline?.dueAt == at("2026-11-30T09:01:00+03:00"))
    #expect(clock.nextCheckAt == at("2026-11-27T18:00:00+03:00"))
    #expect(clock.timerCheck(now: at("2026-11-29T12:00:00+03:00")).map(\.kind) == [.warning])
    #expect(clock.timerCheck(now: at("2026-11-30T09:00:59+03:00")) == [])
    #expect(clock.timerCheck(now: at("2026-11-30T09:01:00+03:00")).map(\.kind) == [.breached])
  }

  @Test func newTermsCountTheRestByTheNewCalendar() {
    let office = QueueingFixtures.calendar("UTC", #"{"mon": [["09:00","18:00"]]}"#)
    var clock = SLAClock(terms: chat)
    clock.customerMessaged(at: at("2026-11-23T17:59:00Z"))
    // Transferred after 30 s to a queue whose SLA counts office hours: 90 s are left.
    let office2 = SLATerms(
      policy: "chat office", firstResponse: 60, nextResponse: 60, calendar: office)
    clock.termsChanged(to: office2, at: at("2026-11-23T17:59:30Z"))
    #expect(clock.deadline?.dueAt == at("2026-11-30T09:01:00Z"))
    #expect(clock.activeTimer?.targetSeconds == 120 && clock.terms == office2)
  }

  @Test func replayRebuildsStateAndNeverRepeatsJournaledEvents() {
    // Live: the warning is journaled, then the process dies before the breach.
    var live = SLAClock(terms: chat)
    live.customerMessaged(at: t0)
    let journaled = live.timerCheck(now: after(100))
    #expect(journaled.map(\.kind) == [.warning])
    // Restart: replay the journal.
    var replayed = SLAClock(terms: chat)
    replayed.customerMessaged(at: t0)
    for event in journaled where event.kind == .warning {
      replayed.warningRecorded(target: event.target, instance: event.instance)
    }
    #expect(replayed == live)
    #expect(replayed.timerCheck(now: after(150)).map(\.kind) == [.breached])
    // A breach journaled before the restart is not emitted again either.
    var again = SLAClock(terms: chat)
    again.customerMessaged(at: t0)
    again.warningRecorded(target: .firstResponse, instance: 1)
    again.breachRecorded(target: .firstResponse, instance: 1)
    #expect(again.timerCheck(now: after(10_000)) == [])
  }

  /// Random conversations with a crash after any step, possibly losing the events of the last
  /// check: replaying the journal gives the live state, and every warning and breach is
  /// journaled exactly once overall.
  @Test func randomizedRestartsEmitEachEventExactlyOnce() {
    enum Step { case customer, agent, wait, resume, resolve, check }
    var random = QueueingRandom(seed: 7)
    let steps: [Step] = [
      .customer, .customer, .agent, .wait, .resume, .resolve, .check, .check, .check,
    ]
    for _ in 0..<200 {
      var time = t0
      var inputs: [(Step, Timestamp)] = []
      for _ in 0..<30 {
        time = time.adding(seconds: Double(Int.random(in: 0...150, using: &random)))
        inputs.append((steps.randomElement(using: &random)!, time))
      }
      func apply(_ step: Step, _ time: Timestamp, to clock: inout SLAClock) -> [SLAEvent] {
        switch step {
        case .customer: clock.customerMessaged(at: time)
        case .agent: clock.agentReplied(at: time)
        case .wait: clock.waitingOnCustomer(at: time)
        case .resume: clock.resumed(at: time)
        case .resolve: clock.resolved(at: time)
        case .check: return clock.timerCheck(now: time)
        }
        return []
      }
      // The uninterrupted run, and its journal (facts and emitted events in order).
      enum Entry {
        case fact(Step, Timestamp)
        case event(SLAEvent)
      }
      var reference = SLAClock(terms: chat)
      var journal: [[Entry]] = []
      var expected: [String] = []
      var states: [SLAClock] = [reference]
      for (step, time) in inputs {
        defer { states.append(reference) }
        let events = apply(step, time, to: &reference)
        expected += events.map(\.key)
        journal.append(step == .check ? events.map(Entry.event) : [.fact(step, time)])
      }
      expected += reference.timerCheck(now: time.adding(seconds: 86_400)).map(\.key)
      let crash = Int.random(in: 0..<inputs.count, using: &random)
      let loseLastCheck = Bool.random(using: &random)
      var emitted = journal[..<crash].flatMap { $0 }.compactMap { entry -> String? in
        if case .event(let event) = entry { return event.key }
        return nil
      }
      var kept = Array(journal[..<crash])
      if loseLastCheck, crash > 0, inputs[crash - 1].0 == .check {
        emitted.removeLast(kept.removeLast().count)
      }
      var restarted = SLAClock(terms: chat)
      for entry in kept.flatMap({ $0 }) {
        switch entry {
        case .fact(let step, let time): _ = apply(step, time, to: &restarted)
        case .event(let event):
          if event.kind == .warning {
            restarted.warningRecorded(target: event.target, instance: event.instance)
          } else {
            restarted.breachRecorded(target: event.target, instance: event.instance)
          }
        }
      }
      if kept.count == crash { #expect(restarted == states[crash]) }
      for (step, time) in inputs[crash...] {
        emitted += apply(step, time, to: &restarted).map(\.key)
      }
      emitted += restarted.timerCheck(now: time.adding(seconds: 86_400)).map(\.key)
      #expect(emitted.sorted() == expected.sorted())
      #expect(Set(emitted).count == emitted.count)
    }
  }
}
