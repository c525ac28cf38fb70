import JunctionDelivery
import Testing

@Suite struct LaneSchedulerTests {
  func item(_ id: String, lane: String, order: UInt64, due: Int64 = 0) -> LaneScheduler.Item {
    LaneScheduler.Item(id: id, lane: lane, order: order, dueAt: due, group: "g")
  }

  @Test func onlyTheHeadOfALaneIsReadyAndLanesAreIndependent() {
    var scheduler = LaneScheduler()
    scheduler.add(item("a1", lane: "a", order: 1))
    scheduler.add(item("a2", lane: "a", order: 2))
    scheduler.add(item("b1", lane: "b", order: 3))
    #expect(scheduler.due(now: 0).map(\.id) == ["a1", "b1"])
    scheduler.start("a1")
    scheduler.start("b1")
    #expect(scheduler.due(now: 0).isEmpty)
    scheduler.finish("b1")
    #expect(scheduler.due(now: 0).isEmpty)
    scheduler.finish("a1")
    #expect(scheduler.due(now: 0).map(\.id) == ["a2"])
    #expect(scheduler.count == 1)
  }

  @Test func aRetryingHeadHoldsItsLaneUntilDue() {
    var scheduler = LaneScheduler()
    scheduler.add(item("a1", lane: "a", order: 1))
    scheduler.add(item("a2", lane: "a", order: 2))
    scheduler.add(item("b1", lane: "b", order: 3))
    scheduler.start("a1")
    scheduler.reschedule("a1", dueAt: 5000)
    #expect(scheduler.due(now: 1000).map(\.id) == ["b1"])
    #expect(scheduler.nextDueTime() == 0)
    scheduler.start("b1")
    scheduler.finish("b1")
    #expect(scheduler.nextDueTime() == 5000)
    #expect(scheduler.due(now: 4999).isEmpty)
    #expect(scheduler.due(now: 5000).map(\.id) == ["a1"])
  }

  @Test func anItemAddedOutOfOrderBecomesTheHead() {
    var scheduler = LaneScheduler()
    scheduler.add(item("late", lane: "a", order: 9))
    scheduler.add(item("early", lane: "a", order: 2))
    #expect(scheduler.due(now: 0).map(\.id) == ["early"])
    scheduler.add(item("early", lane: "a", order: 2))
    #expect(scheduler.count == 2)
  }

  @Test func randomisedOperationsKeepEveryLaneInOrderAndLoseNothing() {
    var generator = SplitMix(seed: 42)
    for _ in 0..<50 {
      var scheduler = LaneScheduler()
      var expected: [String: [UInt64]] = [:]
      var finished: [String: [UInt64]] = [:]
      var order: UInt64 = 0
      var now: Int64 = 0
      for _ in 0..<300 {
        now += Int64(generator.next() % 3)
        switch generator.next() % 4 {
        case 0, 1:
          order += 1
          let lane = "l\(generator.next() % 5)"
          scheduler.add(item("\(order)", lane: lane, order: order, due: now))
          expected[lane, default: []].append(order)
        case 2:
          for ready in scheduler.due(now: now, limit: 2) { scheduler.start(ready.id) }
        default:
          for ready in scheduler.due(now: now) where generator.next() % 2 == 0 {
            scheduler.start(ready.id)
            if generator.next() % 3 == 0 {
              scheduler.reschedule(ready.id, dueAt: now + Int64(generator.next() % 10))
            } else {
              scheduler.finish(ready.id)
              finished[ready.lane, default: []].append(ready.order)
            }
          }
        }
      }
      for (lane, done) in finished {
        #expect(done == Array(expected[lane, default: []].prefix(done.count)))
      }
      let done = finished.values.reduce(0) { $0 + $1.count }
      #expect(scheduler.count + done == Int(order))
    }
  }
}

struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
