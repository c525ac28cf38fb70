import JunctionConfig
import JunctionModel
import JunctionRouting
import Testing

@Suite struct QueueingConfigTests {
  /// A valid base every case below breaks in one place.
  static let calendars = """
    "calendars": [{"id": "office", "time_zone": "Europe/Moscow",
                   "hours": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]]},
                   "holidays": [{"date": "2026-12-31"}]}]
    """

  func issues(_ body: String) -> [String] {
    QueueingFixtures.parse("{\(body)}").issues
  }

  @Test func readsACompleteConfig() {
    let (config, issues, warnings) = QueueingFixtures.parse(
      """
      {\(Self.calendars),
       "queues": [{"id": "l1_chat", "name": "First line", "calendar": "office",
                   "outside_hours": {"overflow_to": "night"}, "push": true, "reservation_timeout": "45s"},
                  {"id": "night"}],
       "filters": [{"name": "billing", "when": {"skills": ["billing"], "tiers": ["l1"], "channel_kinds": ["chat"],
                    "languages": ["RU"], "contact": {"vip": true}, "time": {"calendar": "office"}},
                    "targets": [{"queue": "l1_chat", "timeout": "5m", "priority": 10, "skip_if_no_agents": true},
                                {"queue": "night"}]}],
       "sla": [{"name": "chat", "channel_kinds": ["chat"], "priority_at_least": 5, "first_response": "2m",
                "next_response": "5m", "business_time": true, "warning_at": 0.75},
               {"name": "rest", "first_response": "1d"}],
       "priority": {"contact_boosts": {"vip": 20, "at_risk": 5}, "sla_boost": {"within": 0.25, "boost": 10}},
       "agents": {"reservation_timeout": "20s"},
       "skills": ["ignored by this half"], "_comment": "comments are fine"}
      """)
    #expect(issues == [])
    #expect(warnings == [])
    #expect(config.queues.map(\.id) == ["l1_chat", "night", "_unmatched"])
    #expect(config.workflow.queue("l1_chat")?.outsideHours == .overflow(to: "night"))
    #expect(config.reservationTimeout(queue: "l1_chat") == 45)
    #expect(config.reservationTimeout(queue: "night") == 20)
    let filter = config.workflow.filters[0]
    #expect(filter.conditions.languages == ["ru"])
    #expect(filter.conditions.time == TimeCondition(calendar: "office", inside: true))
    #expect(
      filter.targets[0]
        == FilterTarget(queue: "l1_chat", timeout: 300, priority: 10, skipIfNoAgents: true))
    #expect(config.priority.contactBoosts.map(\.attribute) == ["vip", "at_risk"])
    let terms = config.slaTerms(channelKind: "chat", priority: 10, queue: "l1_chat")
    #expect(terms?.policy == "chat" && terms?.firstResponse == 120 && terms?.warningAt == 0.75)
    #expect(terms?.calendar.id == "office")
    #expect(config.slaTerms(channelKind: "chat", priority: 0, queue: "l1_chat")?.policy == "rest")
    #expect(
      config.slaTerms(channelKind: "chat", priority: 0, queue: "l1_chat")?.calendar.isAlwaysOpen
        == true)
  }

  @Test func targetNamingAMissingQueue() {
    #expect(
      issues(
        """
        "queues": [{"id": "l1"}, {"id": "l2"}],
        "filters": [{"when": {"skills": ["billing"]}, "targets": [{"queue": "l1"}]},
                    {"when": {"skills": ["sales"]}, "targets": [{"queue": "l2"}]},
                    {"when": {"skills": ["returns"]}, "targets": [{"queue": "l3"}]}]
        """)
        == [
          #"routing.json: filters[2].targets[0].queue: unknown queue "l3" (known: _unmatched, l1, l2)"#
        ])
  }

  @Test func filterNamingUnknownSkillTierOrChannelKind() {
    #expect(
      issues(
        """
        "filters": [{"when": {"skills": ["biling"], "tiers": ["l9"], "channel_kinds": ["fax"], "languages": []},
                     "targets": [{"queue": "general"}]}]
        """)
        == [
          #"routing.json: filters[0].when.skills[0]: unknown skill "biling" (known: billing, delivery, general, returns, sales, technical)"#,
          #"routing.json: filters[0].when.tiers[0]: unknown tier "l9" (known: bot, l1, l2, l3)"#,
          #"routing.json: filters[0].when.channel_kinds[0]: unknown channel kind "fax" (known: api, chat, email, sms)"#,
          "routing.json: filters[0].when.languages: is empty and would match nothing; leave it out to match any language",
        ])
  }

  @Test func unreachableFilters() {
    #expect(
      issues(
        """
        "filters": [{"name": "chat", "when": {"channel_kinds": ["chat", "sms"]}, "targets": [{"queue": "general"}]},
                    {"name": "chat billing", "when": {"skills": ["billing"], "channel_kinds": ["chat"]}, "targets": [{"queue": "general"}]},
                    {"name": "vip", "when": {"contact": {"vip": true}}, "targets": [{"queue": "general"}]},
                    {"name": "vip email", "when": {"contact": {"vip": true, "plan": "gold"}, "channel_kinds": ["email"]}, "targets": [{"queue": "general"}]},
                    {"name": "rest", "targets": [{"queue": "general"}]},
                    {"name": "after rest", "when": {"skills": ["sales"]}, "targets": [{"queue": "general"}]}]
        """)
        == [
          #"routing.json: filters[1]: unreachable: filters[0] ("chat") matches everything this filter matches"#,
          #"routing.json: filters[3]: unreachable: filters[2] ("vip") matches everything this filter matches"#,
          #"routing.json: filters[5]: unreachable: filters[4] ("rest") has no conditions"#,
        ])
  }

  @Test func unreachableTargetsAndBadTargets() {
    #expect(
      issues(
        """
        "filters": [{"when": {"skills": ["returns"]}, "targets": [{"queue": "general", "priority": 5}, {"queue": "general"}]},
                    {"when": {"skills": ["sales"]}, "targets": []},
                    {"when": {"skills": ["billing"]}, "targets": [{"queue": "general", "timeout": "soon", "priority": "high", "skip": true}]}]
        """)
        == [
          #"routing.json: filters[0].targets[1]: unreachable: filters[0].targets[0] has no "timeout" and no "skip_if_no_agents", so conversations never move past it"#,
          "routing.json: filters[1].targets: needs at least one target",
          #"routing.json: filters[2].targets[0].timeout: expected a duration such as "30s", "5m", "2h" or seconds"#,
          "routing.json: filters[2].targets[0].priority: expected an integer, found string",
          "routing.json: filters[2].targets[0].skip: unknown key",
        ])
  }

  @Test func calendarErrors() {
    #expect(
      issues(
        """
        "calendars": [
          {"id": "a", "time_zone": "Europe/Moscw", "hours": {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}},
          {"id": "b", "time_zone": "UTC", "hours": {"tue": [["18:00", "09:00"], ["9:00", "10:00"], "09:00-10:00"], "monday": []}},
          {"id": "c", "time_zone": "UTC", "hours": {}},
          {"id": "a", "time_zone": "UTC", "hours": {"sun": [["00:00", "24:00"]]},
           "holidays": [{"date": "2026-12-31"}, {"from": "2026-12-30", "to": "2027-01-02"}, {"date": "2026-02-30"},
                        {"from": "2027-02-01", "to": "2027-01-01"}, {"date": "2027-03-01", "to": "2027-03-02"}, {"day": "x"}]}
        ]
        """)
        == [
          #"routing.json: calendars[0].time_zone: unknown time zone "Europe/Moscw" (use an IANA name such as "Europe/Moscow")"#,
          "routing.json: calendars[0].hours.mon[1]: overlaps calendars[0].hours.mon[0] (09:00-13:00 and 12:00-18:00)",
          #"routing.json: calendars[1].hours.tue[0]: ends before it starts (18:00 to 09:00); for a shift past midnight end it at "24:00" and continue from "00:00" on the next day"#,
          #"routing.json: calendars[1].hours.tue[1][0]: expected a time from "00:00" to "23:59", found "9:00""#,
          #"routing.json: calendars[1].hours.tue[2]: expected a shift such as ["09:00", "18:00"]"#,
          "routing.json: calendars[1].hours.monday: unknown key",
          "routing.json: calendars[2].hours: has no business hours (every day is closed)",
          #"routing.json: calendars[3].id: duplicate calendar id "a""#,
          "routing.json: calendars[3].holidays[2].date: expected a date such as \"2026-12-31\", found \"2026-02-30\"",
          "routing.json: calendars[3].holidays[3].to: is before \"from\" (2027-02-01)",
          #"routing.json: calendars[3].holidays[4]: give either "date" or "from" and "to", not both"#,
          #"routing.json: calendars[3].holidays[5]: expected "date" or "from" and "to""#,
          "routing.json: calendars[3].holidays[5].day: unknown key",
          "routing.json: calendars[3].holidays[1]: overlaps calendars[3].holidays[0] (both include 2026-12-31)",
        ])
  }

  @Test func queueErrors() {
    #expect(
      issues(
        """
        \(Self.calendars),
        "queues": [{"id": "Support Team"}, {"id": "a", "calendar": "ofice"}, {"id": "a"},
                   {"id": "b", "calendar": "office", "outside_hours": {"overflow_to": "b"}},
                   {"id": "c", "calendar": "office", "outside_hours": {"overflow_to": "zzz"}},
                   {"id": "d", "outside_hours": {"hold_reply": {"en": "later"}}},
                   {"id": "e", "calendar": "office", "outside_hours": {"overflow_to": "a", "hold_reply": {"en": "x"}}},
                   {"id": "f", "calendar": "office", "outside_hours": {"hold_reply": {}}},
                   {"id": "g", "push": "yes", "reservation_timeout": 0, "colour": "red"}]
        """)
        == [
          "routing.json: queues[0].id: must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
          #"routing.json: queues[1].calendar: unknown calendar "ofice" (known: office)"#,
          #"routing.json: queues[2].id: duplicate queue id "a""#,
          #"routing.json: queues[5].outside_hours: needs a "calendar" (a queue without one never closes)"#,
          #"routing.json: queues[6].outside_hours: give either "overflow_to" or "hold_reply", not both"#,
          "routing.json: queues[7].outside_hours.hold_reply: needs a text in at least one language",
          "routing.json: queues[8].push: expected a boolean, found string",
          "routing.json: queues[8].reservation_timeout: must be longer than zero",
          "routing.json: queues[8].colour: unknown key",
          "routing.json: queues[3].outside_hours.overflow_to: overflows into its own queue",
          #"routing.json: queues[4].outside_hours.overflow_to: unknown queue "zzz" (known: Support Team, a, b, c, d, e, f, g)"#,
        ])
  }

  @Test func slaPriorityAndAgentErrors() {
    #expect(
      issues(
        """
        \(Self.calendars),
        "sla": [{"channel_kinds": ["chat", "pigeon"], "first_response": "2m", "warning_at": 1.5},
                {"channel_kinds": ["chat"], "priority_at_least": 10, "next_response": "5m"},
                {"name": "empty"},
                {"first_response": "0s", "calendar": "night", "business_time": false},
                {"first_response": "400d", "next_response": 1e12}],
        "priority": {"contact_boosts": {"vip": "lots"}, "sla_boost": {"within": 2}},
        "agents": {"reservation_timeout": "-5s", "max": 3}
        """)
        == [
          #"routing.json: sla[0].channel_kinds[1]: unknown channel kind "pigeon" (known: api, chat, email, sms)"#,
          "routing.json: sla[0].warning_at: must be a fraction between 0 and 1, found 1.5",
          #"routing.json: sla[2]: needs "first_response" or "next_response""#,
          "routing.json: sla[3].first_response: must be longer than zero",
          #"routing.json: sla[3].calendar: unknown calendar "night" (known: office)"#,
          #"routing.json: sla[3].business_time: is false but a "calendar" is given"#,
          "routing.json: sla[4].first_response: must be at most 366 days",
          "routing.json: sla[4].next_response: must be at most 366 days",
          "routing.json: priority.contact_boosts.vip: expected an integer, found string",
          "routing.json: priority.sla_boost.within: must be between 0.0 and 1.0, found 2.0",
          "routing.json: priority.sla_boost.boost: is required",
          #"routing.json: agents.reservation_timeout: expected a duration such as "30s", "5m", "2h" or seconds"#,
          "routing.json: agents.max: unknown key",
        ])
  }

  @Test func unreachableSLAEntries() {
    #expect(
      issues(
        """
        "sla": [{"name": "chat", "channel_kinds": ["chat", "sms"], "priority_at_least": 5, "first_response": "2m"},
                {"name": "urgent chat", "channel_kinds": ["chat"], "priority_at_least": 10, "first_response": "1m"},
                {"name": "low chat", "channel_kinds": ["chat"], "first_response": "5m"},
                {"name": "all", "first_response": "1d"},
                {"name": "email", "channel_kinds": ["email"], "first_response": "4h"}]
        """)
        == [
          #"routing.json: sla[1]: unreachable: sla[0] ("chat") applies to every conversation this entry would"#,
          #"routing.json: sla[4]: unreachable: sla[3] ("all") applies to every conversation this entry would"#,
        ])
  }

  @Test func wrongTypesAndUnknownTopLevelKeys() {
    #expect(
      issues(#""queues": {"id": "a"}, "filters": "all", "calendars": 3, "queus": []"#)
        == [
          "routing.json: calendars: expected an array, found number",
          "routing.json: queues: expected an array, found object",
          "routing.json: filters: expected an array, found string",
          "routing.json: queus: unknown key",
        ])
    #expect(
      issues(#""queues": []"#)
        == [#"routing.json: queues: is empty; leave it out to use the single queue "general""#])
  }

  @Test func filterTimeConditionsNeedAKnownCalendar() {
    #expect(
      issues(
        """
        "filters": [{"when": {"time": {"calendar": "office", "inside": "yes", "at": 1}, "contact": {"plan": []}},
                     "targets": [{"queue": "general"}]}]
        """)
        == [
          #"routing.json: filters[0].when.contact.plan: expected a value or a non-empty array of values to match"#,
          "routing.json: filters[0].when.time.inside: expected a boolean, found string",
          #"routing.json: filters[0].when.time.calendar: unknown calendar "office" (none declared)"#,
          "routing.json: filters[0].when.time.at: unknown key",
        ])
  }

  @Test func queuesWithoutFiltersWarn() {
    let (_, issues, warnings) = QueueingFixtures.parse(#"{"queues": [{"id": "a"}]}"#)
    #expect(issues == [])
    #expect(
      warnings == [#"routing.json: filters: no filters: every conversation lands in "_unmatched""#])
  }
}
