import JunctionModel
import JunctionRouting
import Testing

private func at(_ text: String) -> Timestamp { QueueingFixtures.at(text) }

@Suite struct AssignmentStateMachineTests {
  let t0 = at("2026-11-23T10:00:00Z")

  func conversation(
    _ id: String, skill: String? = "billing", kind: String = "chat", priority: Int = 0,
    queue: String = "l1", waiting seconds: Double = 0
  ) -> TrackedConversation {
    TrackedConversation(
      id: id, queue: queue, skill: skill, channelKind: kind, priority: priority,
      waitingSince: t0.adding(seconds: seconds))
  }

  func agent(
    _ id: String, skills: Set<String> = ["billing"], chat: Int = 3, email: Int = 0,
    status: AgentStatus = .available, queues: Set<String>? = nil
  ) -> AgentProfile {
    AgentProfile(
      id: id, skills: skills, capacity: ["chat": chat, "email": email], status: status,
      queues: queues)
  }

  /// Decides at `now` and applies everything (as the gateway does once journaled).
  func step(_ machine: inout AssignmentStateMachine, _ now: Timestamp) -> [AssignmentAction] {
    let actions = machine.decide(now: now)
    for action in actions { machine.apply(action, at: now) }
    return actions
  }

  @Test func offersGoToTheMostSpareCapacityThenLongestIdle() {
    var machine = AssignmentStateMachine(defaultReservationTimeout: 30)
    machine.agentUpdated(agent("a", chat: 3))
    machine.agentUpdated(agent("b", chat: 5))
    machine.agentUpdated(agent("c", chat: 5))
    // c got a conversation long ago, b recently: among equals, c has been idle longer.
    machine.conversationAssigned(conversation("old-c"), agent: "c", at: t0.adding(seconds: -3600))
    machine.conversationAssigned(conversation("old-b"), agent: "b", at: t0.adding(seconds: -60))
    machine.conversationReleased("old-c")
    machine.conversationReleased("old-b")
    machine.conversationQueued(conversation("x"))
    #expect(
      step(&machine, t0) == [
        .offer(conversation: "x", agent: "c", expiresAt: t0.adding(seconds: 30))
      ])
    machine.conversationQueued(conversation("y", waiting: 1))
    // b now has 5 free, c 4, a 3.
    #expect(step(&machine, t0).map(\.agent) == ["b"])
  }

  @Test func neverOverCapacity() {
    var machine = AssignmentStateMachine()
    machine.agentUpdated(agent("a", chat: 2, email: 1))
    for index in 0..<3 {
      machine.conversationQueued(conversation("chat\(index)", waiting: Double(index)))
    }
    machine.conversationQueued(conversation("mail", kind: "email"))
    machine.conversationQueued(conversation("sms", kind: "sms"))
    let first = step(&machine, t0)
    #expect(Set(first.map(\.conversation)) == ["chat0", "chat1", "mail"])
    #expect(machine.load["a"] == ["chat": 2, "email": 1])
    #expect(step(&machine, t0.adding(seconds: 1)) == [])
    // One accepted conversation is resolved: the slot goes to the next chat.
    machine.apply(
      try! machine.accept(conversation: "chat0", agent: "a", at: t0.adding(seconds: 2)).get(),
      at: t0)
    machine.conversationReleased("chat0")
    #expect(step(&machine, t0.adding(seconds: 3)).map(\.conversation) == ["chat2"])
  }

  @Test func onlyAvailableAgentsWithTheSkillAndQueueGetOffers() {
    var machine = AssignmentStateMachine()
    machine.agentUpdated(agent("away", status: .away))
    machine.agentUpdated(agent("seller", skills: ["sales"]))
    machine.agentUpdated(agent("l2-only", queues: ["l2"]))
    machine.agentUpdated(agent("no-chat", chat: 0, email: 5))
    machine.conversationQueued(conversation("x"))
    #expect(step(&machine, t0) == [])
    machine.agentUpdated(agent("any", skills: ["*"]))
    #expect(step(&machine, t0).map(\.agent) == ["any"])
    machine.conversationQueued(conversation("no-skill", skill: nil, queue: "l2", waiting: 5))
    #expect(step(&machine, t0).map(\.agent) == ["l2-only"])
  }

  @Test func higherPriorityIsOfferedFirstWhenSlotsAreScarce() {
    var machine = AssignmentStateMachine()
    machine.agentUpdated(agent("a", chat: 1))
    machine.conversationQueued(conversation("old", priority: 0, waiting: 0))
    machine.conversationQueued(conversation("urgent", priority: 20, waiting: 60))
    #expect(step(&machine, t0).map(\.conversation) == ["urgent"])
    // The effective priority can also come from the caller.
    var other = AssignmentStateMachine()
    other.agentUpdated(agent("a", chat: 1))
    other.conversationQueued(conversation("old", priority: 0, waiting: 0))
    other.conversationQueued(conversation("urgent", priority: 20, waiting: 60))
    #expect(other.decide(now: t0) { $0.id == "old" ? 50 : 0 }.map(\.conversation) == ["old"])
  }

  @Test func lapsedOfferMovesToTheNextAgent() {
    var machine = AssignmentStateMachine(defaultReservationTimeout: 30)
    machine.agentUpdated(agent("a", chat: 5))
    machine.agentUpdated(agent("b", chat: 3))
    machine.conversationQueued(conversation("x"))
    #expect(step(&machine, t0).map(\.agent) == ["a"])
    #expect(machine.nextDeadline == t0.adding(seconds: 30))
    #expect(step(&machine, t0.adding(seconds: 29)) == [])
    let later = t0.adding(seconds: 30)
    #expect(
      step(&machine, later) == [
        .endOffer(conversation: "x", agent: "a", reason: .expired),
        .offer(conversation: "x", agent: "b", expiresAt: later.adding(seconds: 30)),
      ])
    #expect(machine.accept(conversation: "x", agent: "a", at: later) == .failure(.noOffer))
    // b lets it lapse too: everyone has had it, a new round starts without the latest (b).
    let third = step(&machine, t0.adding(seconds: 60))
    #expect(third.last?.agent == "a")
    let fourth = step(&machine, t0.adding(seconds: 90))
    #expect(fourth.last?.agent == "b")
  }

  @Test func aLoneAgentIsOfferedAgainAfterALapse() {
    var machine = AssignmentStateMachine(defaultReservationTimeout: 30)
    machine.agentUpdated(agent("a"))
    machine.conversationQueued(conversation("x"))
    _ = step(&machine, t0)
    #expect(
      step(&machine, t0.adding(seconds: 30)).last
        == .offer(conversation: "x", agent: "a", expiresAt: t0.adding(seconds: 60)))
  }

  @Test func acceptDeclineAndPerQueueTimeouts() {
    let config = QueueingFixtures.valid(
      #"{"queues": [{"id": "l1", "push": true, "reservation_timeout": "10s"}, {"id": "l2"}], "agents": {"reservation_timeout": "20s"}, "filters": [{"targets": [{"queue": "l1"}]}]}"#
    )
    var machine = AssignmentStateMachine(config: config)
    machine.agentUpdated(agent("a", chat: 2))
    machine.agentUpdated(agent("b", chat: 2))
    machine.conversationQueued(conversation("x"))
    machine.conversationQueued(conversation("y", queue: "l2", waiting: 1))
    let offers = step(&machine, t0)
    #expect(
      offers == [
        .offer(conversation: "x", agent: "a", expiresAt: t0.adding(seconds: 10)),
        .offer(conversation: "y", agent: "b", expiresAt: t0.adding(seconds: 20)),
      ])
    #expect(machine.accept(conversation: "x", agent: "b", at: t0) == .failure(.noOffer))
    #expect(
      machine.accept(conversation: "x", agent: "a", at: t0.adding(seconds: 10))
        == .failure(.expired))
    #expect(
      machine.accept(conversation: "x", agent: "a", at: t0.adding(seconds: 9))
        == .success(.assign(conversation: "x", agent: "a")))
    let decline = try! machine.decline(conversation: "y", agent: "b", at: t0.adding(seconds: 5))
      .get()
    #expect(decline == .endOffer(conversation: "y", agent: "b", reason: .declined))
    machine.apply(decline, at: t0.adding(seconds: 5))
    // b declined y, a has a free slot: y goes to a.
    #expect(step(&machine, t0.adding(seconds: 5)).map(\.agent) == ["a"])
  }

  @Test func agentGoingOfflineReturnsUnansweredConversations() {
    var machine = AssignmentStateMachine()
    machine.agentUpdated(agent("a", chat: 3))
    machine.conversationQueued(conversation("answered"))
    machine.conversationQueued(conversation("silent", waiting: 1))
    machine.conversationQueued(conversation("offered", waiting: 2))
    _ = step(&machine, t0)
    for id in ["answered", "silent"] {
      machine.apply(try! machine.accept(conversation: id, agent: "a", at: t0).get(), at: t0)
    }
    machine.agentReplied(conversation: "answered")
    // A claimed conversation from a pull queue goes back to its queue and out of tracking.
    var claimed = conversation("claimed", queue: "pull")
    claimed.push = false
    machine.conversationAssigned(claimed, agent: "a", at: t0)
    machine.agentUpdated(agent("b", chat: 3))
    machine.agentUpdated(agent("a", status: .offline))
    let actions = step(&machine, t0.adding(seconds: 5))
    #expect(
      Array(actions.prefix(3)) == [
        .returnToQueue(conversation: "claimed", agent: "a", reason: .agentOffline),
        .endOffer(conversation: "offered", agent: "a", reason: .agentUnavailable),
        .returnToQueue(conversation: "silent", agent: "a", reason: .agentOffline),
      ])
    #expect(Set(actions.dropFirst(3).map(\.conversation)) == ["offered", "silent"])
    #expect(actions.dropFirst(3).allSatisfy { $0.agent == "b" })
    #expect(machine.conversations["claimed"] == nil)
    #expect(machine.conversations["answered"]?.holder == .assigned(agent: "a", answered: true))
  }

  @Test func actionsDescribeTheirEvents() {
    let offer = AssignmentAction.offer(conversation: "c1", agent: "a1", expiresAt: t0)
    #expect(offer.eventType == "conversation.offered")
    #expect(offer.streams == ["c1", "agent:a1"])
    #expect(offer.json == ["agent": "a1", "expires_at": .string(t0.rfc3339)])
    #expect(
      AssignmentAction.returnToQueue(conversation: "c1", agent: "a1", reason: .agentOffline).json
        == ["agent": "a1", "reason": "agent_offline"])
  }

  @Test func agentProfilesAreReadStrictly() throws {
    let profile = try AgentProfile(
      id: "anna",
      json: [
        "skills": ["billing"], "capacity": ["chat": 3, "email": 10, "sms": 5], "status": "away",
      ])
    #expect(profile.capacity == ["chat": 3, "email": 10, "sms": 5] && profile.status == .away)
    #expect(profile.queues == nil)
    #expect(profile.json["capacity"] == ["chat": 3, "email": 10, "sms": 5])
    #expect(
      throws: FieldError(path: "status", message: #"expected "available", "away" or "offline""#)
    ) {
      try AgentProfile(id: "x", json: ["status": "busy"])
    }
    #expect(throws: FieldError(path: "capacity.chat", message: "must be between 0 and 10000")) {
      try AgentProfile(id: "x", json: ["capacity": ["chat": -1]])
    }
    #expect(throws: FieldError(path: "skill", message: "unknown key")) {
      try AgentProfile(id: "x", json: ["skill": ["billing"]])
    }
  }
}
