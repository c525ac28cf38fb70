import JunctionModel
import JunctionRouting
import Testing

private func at(_ text: String) -> Timestamp { QueueingFixtures.at(text) }

@Suite struct PriorityPolicyTests {
  let policy = QueueingFixtures.valid(
    #"{"priority": {"contact_boosts": {"vip": 20, "at_risk": 5}, "sla_boost": {"within": 0.2, "boost": 10}}}"#
  ).priority
  let t0 = at("2026-11-23T10:00:00Z")

  @Test func contactAttributesBoost() {
    let vip = policy.effectivePriority(base: 10, contact: ["vip": true], now: t0, deadline: nil)
    #expect(vip.total == 30)
    #expect(vip.json == ["base": 10, "contact": ["vip": 20], "sla": 0, "total": 30])
    let both = policy.effectivePriority(
      base: 0, contact: ["vip": "yes", "at_risk": 1], now: t0, deadline: nil)
    #expect(both.total == 25)
    for value: JSON in [false, 0, "false", "no", "", nil] {
      #expect(
        policy.effectivePriority(base: 0, contact: ["vip": value], now: t0, deadline: nil).total
          == 0)
    }
  }

  @Test func nearingTheDeadlineBoosts() {
    let deadline = SLADeadline(
      target: .firstResponse, instance: 1, dueAt: t0.adding(seconds: 120), targetSeconds: 120)
    func total(_ seconds: Double) -> Int {
      policy.effectivePriority(
        base: 10, contact: [:], now: t0.adding(seconds: seconds), deadline: deadline
      ).total
    }
    #expect(total(0) == 10)
    #expect(total(95) == 10)
    #expect(total(96) == 20)
    #expect(total(500) == 20)
    #expect(deadline.remainingFraction(at: t0.adding(seconds: 180)) == -0.5)
  }

  @Test func businessTimeDeadlinesDoNotNearOvernight() {
    let office = QueueingFixtures.calendar(
      "UTC", #"{"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]]}"#)
    // 10 business minutes from Monday 17:55: 5 today, 5 on Tuesday.
    let deadline = SLADeadline(
      target: .firstResponse, instance: 1, dueAt: at("2026-11-24T09:05:00Z"), targetSeconds: 600,
      calendar: office)
    #expect(deadline.remainingSeconds(at: at("2026-11-23T23:00:00Z")) == 300)
    #expect(
      policy.effectivePriority(
        base: 0, contact: [:], now: at("2026-11-23T23:00:00Z"), deadline: deadline
      ).total == 0)
    #expect(
      policy.effectivePriority(
        base: 0, contact: [:], now: at("2026-11-24T09:03:00Z"), deadline: deadline
      ).total == 10)
  }

  @Test func queuesServeHighestPriorityThenOldest() {
    let waiting = [
      QueuedConversation(id: "old-low", basePriority: 0, waitingSince: t0),
      QueuedConversation(id: "new-high", basePriority: 10, waitingSince: t0.adding(seconds: 60)),
      QueuedConversation(id: "old-high", basePriority: 10, waitingSince: t0.adding(seconds: 30)),
      QueuedConversation(
        id: "vip", basePriority: 0, contact: ["vip": true], waitingSince: t0.adding(seconds: 90)),
      QueuedConversation(
        id: "due", basePriority: 0, waitingSince: t0.adding(seconds: 120),
        deadline: SLADeadline(
          target: .firstResponse, instance: 1, dueAt: t0.adding(seconds: 130), targetSeconds: 120)),
      QueuedConversation(id: "b-tie", basePriority: 0, waitingSince: t0),
    ]
    let order = QueueOrder.sorted(waiting, policy: policy, now: t0.adding(seconds: 125))
    #expect(
      order.map(\.conversation.id) == ["vip", "old-high", "new-high", "due", "b-tie", "old-low"])
    #expect(order.map(\.priority.total) == [20, 10, 10, 10, 0, 0])
    #expect(QueueOrder.next(waiting, policy: PriorityPolicy(), now: t0)?.id == "old-high")
    #expect(QueueOrder.next([], policy: policy, now: t0) == nil)
  }
}
