import JunctionModel
import JunctionRouting
import Testing

private func at(_ text: String) -> Timestamp { QueueingFixtures.at(text) }

@Suite struct RoutingWorkflowTests {
  let config = QueueingFixtures.valid(
    """
    {
      "calendars": [{"id": "office", "time_zone": "Europe/Moscow",
        "hours": {"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]],
                  "thu": [["09:00", "18:00"]], "fri": [["09:00", "18:00"]]}}],
      "queues": [
        {"id": "vip", "push": true},
        {"id": "l1_chat", "calendar": "office", "outside_hours": {"overflow_to": "night"}},
        {"id": "night"},
        {"id": "l2"},
        {"id": "email", "calendar": "office",
         "outside_hours": {"hold_reply": {"ru": "Ответим с {opens_at}", "en": "We will answer from {opens_at} on {opens_on}"}}}
      ],
      "filters": [
        {"name": "vip chat", "when": {"channel_kinds": ["chat"], "contact": {"vip": true}},
         "targets": [{"queue": "vip", "timeout": "2m", "priority": 20, "skip_if_no_agents": true},
                     {"queue": "l2", "priority": 20}]},
        {"name": "billing chat", "when": {"skills": ["billing"], "channel_kinds": ["chat"], "languages": ["ru", "en"]},
         "targets": [{"queue": "l1_chat", "timeout": "5m", "priority": 10},
                     {"queue": "l2", "timeout": "10m", "priority": 10}]},
        {"name": "email", "when": {"channel_kinds": ["email"]}, "targets": [{"queue": "email"}]},
        {"name": "night sms", "when": {"channel_kinds": ["sms"], "time": {"calendar": "office", "inside": false}},
         "targets": [{"queue": "night", "skip_if_no_agents": true}]}
      ]
    }
    """)

  var workflow: RoutingWorkflow { config.workflow }
  let monday10 = at("2026-11-23T10:00:00+03:00")

  func facts(
    skill: String? = "billing", channel: String = "chat", language: String? = "ru",
    contact: JSONObject = [:], time: Timestamp
  ) -> WorkflowFacts {
    WorkflowFacts(
      skill: skill, tier: "l1", channelKind: channel, language: language, contact: contact,
      time: time)
  }

  @Test func firstMatchingFilterWinsAndExplainsEarlierMisses() {
    let decision = workflow.route(facts(time: monday10)) { _ in true }
    #expect(decision.outcome == .matched)
    #expect(decision.filterName == "billing chat" && decision.filterIndex == 1)
    #expect(decision.targetIndex == 0 && decision.queue == "l1_chat" && decision.priority == 10)
    #expect(decision.timeoutAt == monday10.adding(seconds: 300))
    #expect(decision.filterMisses.count == 1)
    let json = decision.json
    #expect(json["filters_not_matched"]?[0]?["name"] == "vip chat")
    #expect(
      json["filters_not_matched"]?[0]?["failed"]
        == [["condition": "contact.vip", "expected": [true], "actual": nil]])
    #expect(json["filter"] == ["index": 1, "name": "billing chat"])
    #expect(json["queue"] == "l1_chat")
  }

  @Test func missesListEveryFailedCondition() {
    let decision = workflow.route(facts(skill: "delivery", channel: "api", time: monday10)) { _ in
      true
    }
    #expect(decision.outcome == .unmatched && decision.queue == "_unmatched")
    #expect(decision.filterMisses.map(\.index) == [0, 1, 2, 3])
    #expect(decision.filterMisses[1].misses.map(\.condition) == ["skills", "channel_kinds"])
    #expect(decision.filterMisses[1].misses[1].actual == "api")
    #expect(decision.timeoutAt == nil && decision.priority == 0)
  }

  @Test func timeoutsWalkTheTargetsThenTheFallback() {
    let first = workflow.route(facts(time: monday10)) { _ in true }
    #expect(
      workflow.escalate(first, facts: facts(time: monday10.adding(seconds: 299))) { _ in true }
        == nil)
    let fiveLater = monday10.adding(seconds: 300)
    let second = workflow.escalate(first, facts: facts(time: fiveLater)) { _ in true }
    #expect(second?.queue == "l2" && second?.targetIndex == 1 && second?.priority == 10)
    #expect(
      second?.passedTargets == [
        PassedTarget(index: 0, queue: "l1_chat", reason: .timedOut, at: fiveLater)
      ])
    #expect(second?.timeoutAt == fiveLater.adding(seconds: 600))
    #expect(second?.json["targets_passed"]?[0]?["reason"] == "timed_out")
    let third = workflow.escalate(second!, facts: facts(time: fiveLater.adding(seconds: 600))) {
      _ in true
    }
    #expect(third?.outcome == .targetsExhausted && third?.queue == "_unmatched")
    #expect(third?.passedTargets.map(\.index) == [0, 1] && third?.priority == 10)
    #expect(third?.filterName == "billing chat")
    #expect(
      workflow.escalate(third!, facts: facts(time: fiveLater.adding(seconds: 9999))) { _ in true }
        == nil)
  }

  @Test func skipIfNoAgentsPassesTheTargetOver() {
    let vip: JSONObject = ["vip": true]
    let staffed = workflow.route(facts(contact: vip, time: monday10)) { _ in true }
    #expect(staffed.queue == "vip" && staffed.priority == 20)
    let empty = workflow.route(facts(contact: vip, time: monday10)) { $0 != "vip" }
    #expect(empty.queue == "l2" && empty.targetIndex == 1 && empty.timeoutAt == nil)
    #expect(
      empty.passedTargets == [PassedTarget(index: 0, queue: "vip", reason: .noAgents, at: monday10)]
    )
  }

  @Test func everyTargetSkippedLandsInTheFallback() {
    let night = at("2026-11-23T23:00:00+03:00")
    let decision = workflow.route(facts(skill: nil, channel: "sms", time: night)) { _ in false }
    #expect(decision.outcome == .allTargetsSkipped && decision.queue == "_unmatched")
    #expect(decision.filterName == "night sms")
    // During office hours the time condition fails and says so.
    let day = workflow.route(facts(skill: nil, channel: "sms", time: monday10)) { _ in true }
    #expect(day.outcome == .unmatched)
    #expect(
      day.filterMisses[3].misses
        == [
          ConditionMiss(
            condition: "time", expected: ["calendar": "office", "inside": false],
            actual: ["calendar": "office", "inside": true])
        ])
  }

  @Test func closedQueueOverflows() {
    let saturday = at("2026-11-28T12:00:00+03:00")
    let decision = workflow.route(facts(time: saturday)) { _ in true }
    #expect(decision.queue == "night" && decision.targetIndex == 0)
    #expect(decision.overflow == [OverflowStep(from: "l1_chat", to: "night")])
    #expect(decision.hold == nil)
  }

  @Test func closedQueueHoldsWithAReplyInTheCustomersLanguage() {
    let fridayNight = at("2026-11-27T20:00:00+03:00")
    let russian = workflow.route(facts(channel: "email", time: fridayNight)) { _ in true }
    #expect(russian.queue == "email")
    #expect(
      russian.hold
        == HoldInstruction(opensAt: at("2026-11-30T09:00:00+03:00"), reply: "Ответим с 09:00"))
    let english = workflow.route(facts(channel: "email", language: "en-GB", time: fridayNight)) {
      _ in true
    }
    #expect(english.hold?.reply == "We will answer from 09:00 on 2026-11-30")
    let persian = workflow.route(facts(channel: "email", language: "fa", time: fridayNight)) { _ in
      true
    }
    #expect(persian.hold?.reply == "Ответим с 09:00")
    let open = workflow.route(facts(channel: "email", time: monday10)) { _ in true }
    #expect(open.hold == nil)
  }

  @Test func languageConditionUsesThePrimarySubtag() {
    let english = workflow.route(facts(language: "en-GB", time: monday10)) { _ in true }
    #expect(english.filterName == "billing chat")
    let persian = workflow.route(facts(language: "fa", time: monday10)) { _ in true }
    #expect(persian.outcome == .unmatched)
    #expect(persian.filterMisses[1].misses.map(\.condition) == ["languages"])
  }

  @Test func contactConditionsMatchValuesAndLists() {
    let workflow = QueueingFixtures.valid(
      """
      {"queues": [{"id": "gold"}],
       "filters": [{"name": "gold", "when": {"contact": {"plan": ["gold", "platinum"], "tenure": 3, "blocked": false}},
                    "targets": [{"queue": "gold"}]}]}
      """
    ).workflow
    let time = monday10
    func queue(_ contact: JSONObject) -> String {
      workflow.route(WorkflowFacts(channelKind: "chat", contact: contact, time: time)) { _ in true }
        .queue
    }
    #expect(queue(["plan": "platinum", "tenure": 3.0]) == "gold")
    #expect(queue(["plan": "gold", "tenure": 3, "blocked": false]) == "gold")
    #expect(queue(["plan": "gold", "tenure": 3, "blocked": true]) == "_unmatched")
    #expect(queue(["plan": "silver", "tenure": 3]) == "_unmatched")
  }

  @Test func withoutQueuesEverythingLandsInGeneral() {
    let config = QueueingFixtures.valid("{}")
    #expect(config.queues.map(\.id) == ["general"])
    let decision = config.workflow.route(facts(time: monday10)) { _ in true }
    #expect(decision.queue == "general" && decision.outcome == .unmatched)
    #expect(config == QueueingConfig.default)
  }

  @Test func unmatchedQueueIsCreatedOrConfigured() {
    #expect(config.queues.last == QueueDefinition(id: "_unmatched", name: "Unmatched"))
    let declared = QueueingFixtures.valid(
      """
      {"queues": [{"id": "_unmatched", "push": true, "reservation_timeout": "1m"}, {"id": "a"}],
       "filters": [{"when": {"skills": ["sales"]}, "targets": [{"queue": "a"}]}]}
      """)
    #expect(declared.queues.map(\.id) == ["_unmatched", "a"])
    #expect(declared.workflow.queue("_unmatched")?.push == true)
    #expect(declared.reservationTimeout(queue: "_unmatched") == 60)
    #expect(declared.reservationTimeout(queue: "a") == 30)
  }
}
