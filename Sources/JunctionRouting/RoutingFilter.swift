import JunctionModel

/// One ordered destination of a filter: a queue, how long to wait there for an agent's first
/// reply before moving on, the priority conversations get there, and whether to pass it over
/// when nobody can take work in that queue.
public struct FilterTarget: Sendable, Equatable {
  /// The queue id.
  public var queue: String
  /// Seconds without an agent's first reply before the next target; nil waits forever.
  public var timeout: Double?
  /// The base priority in this queue (higher is served first).
  public var priority: Int
  /// Pass this target over when no agent is available in its queue.
  public var skipIfNoAgents: Bool

  /// A target.
  public init(
    queue: String, timeout: Double? = nil, priority: Int = 0, skipIfNoAgents: Bool = false
  ) {
    self.queue = queue
    self.timeout = timeout
    self.priority = priority
    self.skipIfNoAgents = skipIfNoAgents
  }
}

/// `"contact": {"plan": ["gold", "platinum"]}`: the attribute must equal one of the values
/// (`false` also matches a missing attribute).
public struct ContactCondition: Sendable, Equatable {
  /// The contact attribute.
  public var attribute: String
  /// The accepted values.
  public var values: [JSON]

  /// A contact condition.
  public init(attribute: String, values: [JSON]) {
    self.attribute = attribute
    self.values = values
  }

  /// Whether `actual` (nil when the contact lacks the attribute) satisfies the condition.
  public func matches(_ actual: JSON?) -> Bool {
    values.contains { RoutingFilter.same(actual ?? .null, $0) }
  }
}

/// `"time": {"calendar": "office", "inside": true}`: inside (or outside) a calendar's hours.
public struct TimeCondition: Sendable, Equatable {
  /// The calendar id.
  public var calendar: String
  /// True for inside its hours, false for outside.
  public var inside: Bool

  /// A time condition.
  public init(calendar: String, inside: Bool) {
    self.calendar = calendar
    self.inside = inside
  }
}

/// The `when` of a filter. Each present condition must hold; absent ones match anything.
public struct FilterConditions: Sendable, Equatable {
  /// Skills matched; nil for any.
  public var skills: Set<String>?
  /// Tiers matched; nil for any.
  public var tiers: Set<String>?
  /// Channel kinds matched; nil for any.
  public var channelKinds: Set<String>?
  /// Primary language subtags in lower case.
  public var languages: Set<String>?
  /// Conditions on contact attributes (all must hold).
  public var contact: [ContactCondition]
  /// A condition on business hours.
  public var time: TimeCondition?

  /// Conditions; none given matches every conversation.
  public init(
    skills: Set<String>? = nil, tiers: Set<String>? = nil, channelKinds: Set<String>? = nil,
    languages: Set<String>? = nil, contact: [ContactCondition] = [], time: TimeCondition? = nil
  ) {
    self.skills = skills
    self.tiers = tiers
    self.channelKinds = channelKinds
    self.languages = languages
    self.contact = contact
    self.time = time
  }

  /// True when every conversation matches.
  public var matchesEverything: Bool {
    skills == nil && tiers == nil && channelKinds == nil && languages == nil && contact.isEmpty
      && time == nil
  }

  /// Whether every conversation matching `other` also matches these conditions (so a filter
  /// with `other` placed after one with these can never be chosen).
  public func covers(_ other: FilterConditions) -> Bool {
    func covers(_ mine: Set<String>?, _ theirs: Set<String>?) -> Bool {
      guard let mine else { return true }
      guard let theirs else { return false }
      return theirs.isSubset(of: mine)
    }
    guard covers(skills, other.skills), covers(tiers, other.tiers),
      covers(channelKinds, other.channelKinds), covers(languages, other.languages)
    else { return false }
    if let time, time != other.time { return false }
    return contact.allSatisfy { condition in
      other.contact.contains { theirs in
        theirs.attribute == condition.attribute
          && theirs.values.allSatisfy { value in condition.matches(value) }
      }
    }
  }
}

/// One condition of a filter that a conversation did not meet, for the explanation.
public struct ConditionMiss: Sendable, Equatable {
  /// `skills`, `tiers`, `channel_kinds`, `languages`, `contact.<attribute>` or `time`.
  public var condition: String
  /// What the filter wanted.
  public var expected: JSON
  /// What the conversation had (`null` when unknown).
  public var actual: JSON

  /// A missed condition.
  public init(condition: String, expected: JSON, actual: JSON) {
    self.condition = condition
    self.expected = expected
    self.actual = actual
  }

  /// `{"condition": "channel_kinds", "expected": ["chat"], "actual": "email"}`.
  public var json: JSON {
    ["condition": .string(condition), "expected": expected, "actual": actual]
  }
}

/// A named case of the workflow: conditions and ordered targets. The first filter whose
/// conditions all hold picks the conversation's queue.
public struct RoutingFilter: Sendable, Equatable {
  /// The filter name shown in explanations.
  public var name: String
  /// The `when` conditions.
  public var conditions: FilterConditions
  /// Ordered targets.
  public var targets: [FilterTarget]

  /// A filter.
  public init(
    name: String, conditions: FilterConditions = FilterConditions(), targets: [FilterTarget]
  ) {
    self.name = name
    self.conditions = conditions
    self.targets = targets
  }

  /// Every condition `facts` fails (empty when the filter matches), so an explanation can say
  /// all the reasons at once. `calendars` resolves time conditions.
  public func misses(_ facts: WorkflowFacts, calendars: [String: BusinessCalendar])
    -> [ConditionMiss]
  {
    var misses: [ConditionMiss] = []
    func check(_ name: String, _ allowed: Set<String>?, _ actual: String?) {
      guard let allowed, !(actual.map(allowed.contains) ?? false) else { return }
      misses.append(
        ConditionMiss(
          condition: name, expected: .array(allowed.sorted().map(JSON.string)),
          actual: .optional(actual)))
    }
    check("skills", conditions.skills, facts.skill)
    check("tiers", conditions.tiers, facts.tier)
    check("channel_kinds", conditions.channelKinds, facts.channelKind)
    check("languages", conditions.languages, facts.primaryLanguage)
    for condition in conditions.contact where !condition.matches(facts.contact[condition.attribute])
    {
      misses.append(
        ConditionMiss(
          condition: "contact.\(condition.attribute)", expected: .array(condition.values),
          actual: facts.contact[condition.attribute] ?? .null))
    }
    if let time = conditions.time {
      let open = (calendars[time.calendar] ?? .alwaysOpen).isOpen(at: facts.time)
      if open != time.inside {
        misses.append(
          ConditionMiss(
            condition: "time",
            expected: ["calendar": .string(time.calendar), "inside": .bool(time.inside)],
            actual: ["calendar": .string(time.calendar), "inside": .bool(open)]))
      }
    }
    return misses
  }

  /// JSON equality where numbers compare by value and `false` also matches `null`.
  static func same(_ actual: JSON, _ expected: JSON) -> Bool {
    if let left = actual.doubleValue, let right = expected.doubleValue { return left == right }
    if expected == .bool(false), actual.isNull { return true }
    return actual == expected
  }
}
