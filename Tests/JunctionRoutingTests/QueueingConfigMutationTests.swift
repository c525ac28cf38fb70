import JunctionConfig
import JunctionModel
import JunctionRouting
import Testing

/// The documented example with one value replaced by something random, many times: parsing
/// never crashes, and whatever it accepts routes, times and assigns without crashing either.
@Suite struct QueueingConfigMutationTests {
  static let replacements: [JSON] = [
    .null, true, false, 0, -1, 1.5, 1e300, -9_223_372_036_854_775_807, "", "x", "24:00", "-5s",
    "2026-02-30", "Mars/Olympus", "_unmatched", "general", [], [[]], ["09:00", "08:00"], [:],
    ["id": "x"], .string(String(repeating: "z", count: 300)),
  ]

  /// `json` with the node at `target` (in depth-first order) replaced; `counter` counts nodes.
  static func mutate(_ json: JSON, _ target: Int, _ counter: inout Int, _ value: JSON) -> JSON {
    defer { counter += 1 }
    if counter == target { return value }
    switch json {
    case .array(let items):
      var result: [JSON] = []
      for item in items { result.append(mutate(item, target, &counter, value)) }
      return .array(result)
    case .object(let object):
      var result = JSONObject()
      for (key, item) in object { result.append(key, mutate(item, target, &counter, value)) }
      return .object(result)
    default:
      return json
    }
  }

  @Test func randomMutationsNeverCrash() throws {
    let example = try QueuesConfigDocumentTests.jsonBlocks()[0]
    let context = ConfigContext(file: "routing.json")
    let original = ConfigDirectory.parse(Array(example.utf8), context: context, environment: [:])!
    var nodes = 0
    _ = Self.mutate(original, -1, &nodes, .null)
    var random = QueueingRandom(seed: 99)
    var accepted = 0
    for _ in 0..<400 {
      var counter = 0
      let mutated = Self.mutate(
        original, Int.random(in: 1..<nodes, using: &random), &counter,
        Self.replacements.randomElement(using: &random)!)
      let context = ConfigContext(file: "routing.json")
      let root = ConfigObject(mutated, path: "", context: context)
      let config = QueueingConfig.parse(
        root, skills: QueueingFixtures.skills, tiers: QueueingFixtures.tiers,
        channelKinds: QueueingFixtures.channelKinds)
      root.finish()
      guard context.issues.isEmpty else { continue }
      accepted += 1
      let time = QueueingFixtures.at("2026-12-30T17:59:00+03:00")
      for kind in ["chat", "email", "sms"] {
        let facts = WorkflowFacts(
          skill: "billing", tier: "l2", channelKind: kind, language: "en", contact: ["vip": true],
          time: time)
        let decision = config.workflow.route(facts) { _ in false }
        _ = config.workflow.escalate(decision, facts: facts) { _ in true }
        if let terms = config.slaTerms(
          channelKind: kind, priority: decision.priority, queue: decision.queue)
        {
          var clock = SLAClock(terms: terms)
          clock.customerMessaged(at: time)
          _ = clock.timerCheck(now: time.adding(seconds: 86_400))
        }
        var machine = AssignmentStateMachine(config: config)
        machine.agentUpdated(AgentProfile(id: "a", skills: ["*"], capacity: [kind: 1]))
        machine.conversationQueued(
          TrackedConversation(
            id: "c", queue: decision.queue, skill: "billing", channelKind: kind, waitingSince: time)
        )
        #expect(machine.decide(now: time).count == 1)
      }
    }
    #expect(accepted > 20)
  }
}
