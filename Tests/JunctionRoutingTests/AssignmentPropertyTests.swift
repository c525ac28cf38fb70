import JunctionModel
import JunctionRouting
import Testing

/// Many agents and conversations, two gateway nodes deciding on their own (sometimes stale)
/// views and appending to one journal with conditional appends on the conversation's and the
/// agent's streams: no conversation is ever held by two agents and no agent goes over capacity.
@Suite struct AssignmentPropertyTests {
  enum Record {
    case agent(AgentProfile)
    case queued(TrackedConversation)
    case replied(String)
    case released(String)
    case action(AssignmentAction)

    var streams: [String] {
      switch self {
      case .agent(let profile): return ["agent:\(profile.id)"]
      case .queued(let conversation): return [conversation.id]
      case .replied(let id), .released(let id): return [id]
      case .action(let action): return action.streams
      }
    }
  }

  /// The shared log with per-stream versions; `append` fails when a condition does not hold.
  struct Journal {
    var records: [(record: Record, at: Timestamp)] = []
    var versions: [String: Int] = [:]

    mutating func append(_ record: Record, at time: Timestamp, expecting: [String: Int]? = nil)
      -> Bool
    {
      if let expecting {
        for stream in record.streams
        where versions[stream, default: 0] != expecting[stream, default: 0] {
          return false
        }
      }
      for stream in record.streams { versions[stream, default: 0] += 1 }
      records.append((record, time))
      return true
    }
  }

  /// A node's projection of the journal.
  struct Node {
    var machine = AssignmentStateMachine(defaultReservationTimeout: 20)
    var applied = 0
    var versions: [String: Int] = [:]

    mutating func catchUp(_ journal: Journal, limit: Int? = nil) {
      let end = min(journal.records.count, limit ?? journal.records.count)
      while applied < end {
        let (record, time) = journal.records[applied]
        switch record {
        case .agent(let profile): machine.agentUpdated(profile)
        case .queued(let conversation): machine.conversationQueued(conversation)
        case .replied(let id): machine.agentReplied(conversation: id)
        case .released(let id): machine.conversationReleased(id)
        case .action(let action): machine.apply(action, at: time)
        }
        for stream in record.streams { versions[stream, default: 0] += 1 }
        applied += 1
      }
    }

    /// Appends `records` one by one with conditions from this node's view, advancing its
    /// expectations after its own successful appends; stops at the first conflict.
    func append(_ actions: [AssignmentAction], to journal: inout Journal, at time: Timestamp) {
      var expected = versions
      for action in actions {
        let record = Record.action(action)
        guard journal.append(record, at: time, expecting: expected) else { return }
        for stream in record.streams { expected[stream, default: 0] += 1 }
      }
    }
  }

  /// An independent ledger checking every appended action against what the log says.
  struct Ledger {
    var holder: [String: (agent: String, assigned: Bool)] = [:]
    var kinds: [String: String] = [:]
    var load: [String: [String: Int]] = [:]
    var capacity: [String: [String: Int]] = [:]
    var violations: [String] = []

    mutating func take(_ conversation: String, _ agent: String) {
      load[agent, default: [:]][kinds[conversation]!, default: 0] += 1
    }

    mutating func free(_ conversation: String) {
      guard let current = holder.removeValue(forKey: conversation) else { return }
      load[current.agent, default: [:]][kinds[conversation]!, default: 0] -= 1
    }

    mutating func check(_ record: Record) {
      switch record {
      case .agent(let profile): capacity[profile.id] = profile.capacity
      case .queued(let conversation):
        kinds[conversation.id] = conversation.channelKind
        free(conversation.id)
      case .replied: break
      case .released(let id): free(id)
      case .action(.offer(let id, let agent, _)):
        if let current = holder[id] {
          violations.append("\(id) offered to \(agent) while held by \(current.agent)")
        }
        holder[id] = (agent, false)
        take(id, agent)
        let kind = kinds[id]!
        if load[agent]![kind]! > capacity[agent]?[kind] ?? 0 {
          violations.append("\(agent) over capacity on \(kind)")
        }
      case .action(.assign(let id, let agent)):
        if holder[id]?.agent != agent || holder[id]?.assigned == true {
          violations.append("\(id) assigned to \(agent) without its offer")
        }
        holder[id] = (agent, true)
      case .action(.endOffer(let id, let agent, _)):
        if holder[id]?.agent != agent || holder[id]?.assigned == true {
          violations.append("\(id) offer by \(agent) ended without an offer")
        }
        free(id)
      case .action(.returnToQueue(let id, let agent, _)):
        if holder[id]?.agent != agent || holder[id]?.assigned != true {
          violations.append("\(id) returned by \(agent) without an assignment")
        }
        free(id)
      }
    }
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func twoNodesNeverDoubleAssignOrOverfill(seed: UInt64) {
    var random = QueueingRandom(seed: seed)
    let skills = ["billing", "delivery", "returns"]
    let kinds = ["chat", "email", "sms"]
    var journal = Journal()
    var nodes = [Node(), Node()]
    var time = QueueingFixtures.at("2026-11-23T09:00:00Z")
    var agents: [AgentProfile] = (0..<15).map { index in
      AgentProfile(
        id: "agent\(index)",
        skills: Set(skills.filter { _ in Bool.random(using: &random) }).union([skills[index % 3]]),
        capacity: [
          "chat": Int.random(in: 1...3, using: &random),
          "email": Int.random(in: 0...4, using: &random),
          "sms": Int.random(in: 0...2, using: &random),
        ],
        queues: index % 4 == 0 ? ["q2"] : nil)
    }
    for profile in agents { _ = journal.append(.agent(profile), at: time) }
    var nextConversation = 0
    var offersMade = 0
    var assignments = 0
    for _ in 0..<400 {
      time = time.adding(seconds: Double(Int.random(in: 1...8, using: &random)))
      // New conversations, replies, resolutions and status changes, as facts.
      for _ in 0..<Int.random(in: 0...3, using: &random) {
        nextConversation += 1
        let conversation = TrackedConversation(
          id: "c\(nextConversation)", queue: Bool.random(using: &random) ? "q1" : "q2",
          skill: skills.randomElement(using: &random),
          channelKind: kinds.randomElement(using: &random)!,
          priority: Int.random(in: 0...2, using: &random) * 10, waitingSince: time)
        _ = journal.append(.queued(conversation), at: time)
      }
      let truth = nodes[0].machine.conversations.values.sorted { $0.id < $1.id }
      for conversation in truth where Int.random(in: 0..<6, using: &random) == 0 {
        switch conversation.holder {
        case .assigned:
          _ = journal.append(
            Bool.random(using: &random) ? .replied(conversation.id) : .released(conversation.id),
            at: time)
        case .waiting, .offered:
          if Int.random(in: 0..<3, using: &random) == 0 {
            var moved = conversation
            moved.queue = moved.queue == "q1" ? "q2" : "q1"
            _ = journal.append(.queued(moved), at: time)
          }
        }
      }
      for index in agents.indices where Int.random(in: 0..<25, using: &random) == 0 {
        agents[index].status = AgentStatus.allCases.randomElement(using: &random)!
        _ = journal.append(.agent(agents[index]), at: time)
      }
      // Agents answer some offers through a random node (with its view's versions).
      for (id, conversation) in nodes[0].machine.conversations.sorted(by: { $0.key < $1.key }) {
        guard case .offered(let agent, _) = conversation.holder,
          Int.random(in: 0..<3, using: &random) == 0
        else { continue }
        let node = nodes[Int.random(in: 0...1, using: &random)]
        let answer =
          Int.random(in: 0..<4, using: &random) == 0
          ? node.machine.decline(conversation: id, agent: agent, at: time)
          : node.machine.accept(conversation: id, agent: agent, at: time)
        if case .success(let action) = answer { node.append([action], to: &journal, at: time) }
      }
      // Both nodes decide; one of them may lag behind the journal.
      let lagging = Int.random(in: 0...1, using: &random)
      for index in nodes.indices {
        nodes[index].catchUp(
          journal,
          limit: index == lagging
            ? journal.records.count - Int.random(in: 0...4, using: &random) : nil)
      }
      let proposals = nodes.map { $0.machine.decide(now: time) }
      for index in [lagging, 1 - lagging] {
        nodes[index].append(proposals[index], to: &journal, at: time)
      }
      for index in nodes.indices { nodes[index].catchUp(journal) }
      #expect(nodes[0].machine == nodes[1].machine)
    }
    var ledger = Ledger()
    for (record, _) in journal.records {
      ledger.check(record)
      if case .action(.offer) = record { offersMade += 1 }
      if case .action(.assign) = record { assignments += 1 }
    }
    #expect(ledger.violations == [])
    for (agent, kinds) in nodes[0].machine.load {
      for (kind, count) in kinds {
        #expect(count <= agents.first { $0.id == agent }!.capacity[kind] ?? 0)
      }
    }
    // The run exercised the machine: many offers, many assignments.
    #expect(offersMade > 300 && assignments > 100)
  }
}
