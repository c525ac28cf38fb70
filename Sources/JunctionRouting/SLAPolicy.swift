import JunctionConfig
import JunctionModel

/// One entry of `routing.json`'s `sla`: response targets for conversations of some channel
/// kinds at or above some priority. The first entry that matches a conversation applies.
public struct SLAPolicy: Sendable, Equatable {
  /// A name for events and dashboards (`chat`); defaults to the entry's JSON path.
  public var name: String
  /// Channel kinds it applies to; nil for all.
  public var channelKinds: Set<String>?
  /// The lowest base priority it applies to; nil for any.
  public var priorityAtLeast: Int?
  /// Seconds until the first agent reply; nil for no first-response target.
  public var firstResponse: Double?
  /// Seconds until each later agent reply after a customer message; nil for none.
  public var nextResponse: Double?
  /// Count only open hours: of `calendar` when set, else of the conversation's queue.
  public var businessTime: Bool
  /// An explicit calendar id (implies business time).
  public var calendar: String?
  /// The fraction of a target after which `sla.warning` fires (0 < f < 1).
  public var warningAt: Double

  /// A policy from its parts.
  public init(
    name: String, channelKinds: Set<String>? = nil, priorityAtLeast: Int? = nil,
    firstResponse: Double? = nil, nextResponse: Double? = nil, businessTime: Bool = false,
    calendar: String? = nil, warningAt: Double = 0.8
  ) {
    self.name = name
    self.channelKinds = channelKinds
    self.priorityAtLeast = priorityAtLeast
    self.firstResponse = firstResponse
    self.nextResponse = nextResponse
    self.businessTime = businessTime
    self.calendar = calendar
    self.warningAt = warningAt
  }

  /// Whether the policy applies to a conversation on `channelKind` with base `priority`.
  public func applies(channelKind: String, priority: Int) -> Bool {
    (channelKinds?.contains(channelKind) ?? true) && priority >= (priorityAtLeast ?? Int.min)
  }

  /// Whether every conversation this policy's successor `other` applies to is taken by this one.
  func covers(_ other: SLAPolicy) -> Bool {
    if let mine = channelKinds {
      guard let theirs = other.channelKinds, theirs.isSubset(of: mine) else { return false }
    }
    return (priorityAtLeast ?? Int.min) <= (other.priorityAtLeast ?? Int.min)
  }

  /// Reads `sla`, reporting unknown channel kinds and calendars, missing or non-positive
  /// targets, warning fractions outside (0, 1) and entries an earlier entry makes unreachable.
  static func parseAll(_ entries: [ConfigObject], names: QueueingNames) -> [SLAPolicy] {
    var policies: [(path: String, policy: SLAPolicy, clean: Bool)] = []
    for entry in entries {
      let issuesBefore = entry.context.issues.count
      var policy = SLAPolicy(name: entry.nonEmptyString("name") ?? entry.path)
      if let kinds = entry.strings("channel_kinds") {
        if kinds.isEmpty {
          entry.context.issue(entry.path("channel_kinds"), "is empty and would match nothing")
        }
        for (index, kind) in kinds.enumerated() where !names.channelKinds.contains(kind) {
          entry.context.issue(
            "\(entry.path("channel_kinds"))[\(index)]",
            "unknown channel kind \"\(kind)\"\(RoutingFilter.known(names.channelKinds))")
        }
        policy.channelKinds = Set(kinds)
      }
      policy.priorityAtLeast = entry.int("priority_at_least")
      policy.firstResponse = QueueingConfig.period(entry, "first_response")
      policy.nextResponse = QueueingConfig.period(entry, "next_response")
      if policy.firstResponse == nil, policy.nextResponse == nil, !entry.has("first_response"),
        !entry.has("next_response")
      {
        entry.context.issue(entry.path, "needs \"first_response\" or \"next_response\"")
      }
      policy.calendar = entry.nonEmptyString("calendar")
      policy.businessTime = entry.bool("business_time") ?? (policy.calendar != nil)
      if let calendar = policy.calendar {
        if !names.calendars.contains(calendar) {
          entry.context.issue(
            entry.path("calendar"),
            "unknown calendar \"\(calendar)\"\(RoutingFilter.known(names.calendars))")
        }
        if !policy.businessTime {
          entry.context.issue(
            entry.path("business_time"), "is false but a \"calendar\" is given")
        }
      }
      if let fraction = entry.double("warning_at") {
        if fraction > 0, fraction < 1 {
          policy.warningAt = fraction
        } else {
          entry.context.issue(
            entry.path("warning_at"), "must be a fraction between 0 and 1, found \(fraction)")
        }
      }
      entry.finish()
      let clean = entry.context.issues.count == issuesBefore
      if let earlier = policies.first(where: { $0.clean && $0.policy.covers(policy) }) {
        entry.context.issue(
          entry.path,
          "unreachable: \(earlier.path) (\"\(earlier.policy.name)\") applies to every "
            + "conversation this entry would")
      }
      policies.append((entry.path, policy, clean))
    }
    return policies.map(\.policy)
  }
}

/// The SLA that governs one conversation: targets and warning fraction from the matching
/// ``SLAPolicy``, with its calendar resolved (24/7 when the policy counts wall-clock time).
public struct SLATerms: Sendable, Equatable {
  /// The policy's name, carried into `sla.*` events.
  public var policy: String
  /// Seconds until the first agent reply.
  public var firstResponse: Double?
  /// Seconds until each later agent reply.
  public var nextResponse: Double?
  /// The warning fraction.
  public var warningAt: Double
  /// The calendar time is counted in.
  public var calendar: BusinessCalendar

  /// Terms from their parts.
  public init(
    policy: String, firstResponse: Double? = nil, nextResponse: Double? = nil,
    warningAt: Double = 0.8, calendar: BusinessCalendar = .alwaysOpen
  ) {
    self.policy = policy
    self.firstResponse = firstResponse
    self.nextResponse = nextResponse
    self.warningAt = warningAt
    self.calendar = calendar
  }

  /// The target's length in seconds under these terms.
  public func seconds(for target: SLATarget) -> Double? {
    switch target {
    case .firstResponse: return firstResponse
    case .nextResponse: return nextResponse
    }
  }
}
