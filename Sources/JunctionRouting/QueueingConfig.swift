import JunctionConfig
import JunctionModel

/// The queueing half of `routing.json`: queues, filters with targets, business calendars,
/// SLA policies, priority boosts and agent defaults (the keys in ``keys``).
///
/// Without queues, everything lands in one queue named `general` (24/7, pull only). With
/// queues, conversations no filter matches (and those whose targets ran out) land in
/// `_unmatched`, created with defaults unless `queues` declares it to give it a calendar,
/// push or a hold reply. See `QUEUES-CONFIG.md` for the schema.
public struct QueueingConfig: Sendable, Equatable {
  /// Filters, targets, queues and calendars.
  public var workflow: RoutingWorkflow
  /// SLA policies in order; the first that applies to a conversation wins.
  public var slaPolicies: [SLAPolicy]
  /// Priority boosts.
  public var priority: PriorityPolicy
  /// `agents.reservation_timeout`: how long an offer waits for acceptance (queues may override).
  public var reservationTimeout: Double

  /// The top-level `routing.json` keys this config reads (the rest belong to the
  /// understanding half: skills, examples, classifier, rules, complexity, tiers, bot).
  public static let keys = ["queues", "filters", "calendars", "sla", "priority", "agents"]
  /// The reservation timeout when `agents.reservation_timeout` is not set.
  public static let defaultReservationTimeout = 30.0

  /// A configuration from its parts.
  public init(
    workflow: RoutingWorkflow, slaPolicies: [SLAPolicy] = [],
    priority: PriorityPolicy = PriorityPolicy(),
    reservationTimeout: Double = QueueingConfig.defaultReservationTimeout
  ) {
    self.workflow = workflow
    self.slaPolicies = slaPolicies
    self.priority = priority
    self.reservationTimeout = reservationTimeout
  }

  /// The configuration without `routing.json`: one queue `general`, no filters, no SLA.
  public static let `default` = QueueingConfig(
    workflow: RoutingWorkflow(
      filters: [], queues: [QueueDefinition(id: QueueDefinition.generalId)], calendars: [:],
      fallbackQueue: QueueDefinition.generalId))

  /// Every queue, in config order (the fallback queue included).
  public var queues: [QueueDefinition] { workflow.queues }

  /// The SLA terms for a conversation on `channelKind` with base `priority` waiting in `queue`
  /// (business time counted in the policy's calendar, else the queue's); nil when no policy
  /// applies.
  public func slaTerms(channelKind: String, priority: Int, queue: String) -> SLATerms? {
    guard
      let policy = slaPolicies.first(where: {
        $0.applies(channelKind: channelKind, priority: priority)
      })
    else { return nil }
    var calendar = BusinessCalendar.alwaysOpen
    if let id = policy.calendar, let explicit = workflow.calendars[id] {
      calendar = explicit
    } else if policy.businessTime {
      calendar = workflow.calendar(ofQueue: queue)
    }
    return SLATerms(
      policy: policy.name, firstResponse: policy.firstResponse, nextResponse: policy.nextResponse,
      warningAt: policy.warningAt, calendar: calendar)
  }

  /// The reservation timeout of offers in `queue`.
  public func reservationTimeout(queue: String) -> Double {
    workflow.queue(queue)?.reservationTimeout ?? reservationTimeout
  }

  /// Reads the keys in ``keys`` from `routing.json`'s root object, reporting every problem in
  /// its context with file and JSON path. It does not call `root.finish()`: the caller reads
  /// the other keys too and finishes the root once.
  ///
  /// `skills` and `tiers` come from the understanding half (`general` is always a skill);
  /// `channelKinds` from the channel registry (`chat`, `sms`, `email`, `api`).
  public static func parse(
    _ root: ConfigObject, skills: Set<String>, tiers: [String], channelKinds: Set<String>
  ) -> QueueingConfig {
    let context = root.context
    var calendars: [String: BusinessCalendar] = [:]
    var calendarIds: Set<String> = []
    for entry in root.objects("calendars") ?? [] {
      if let id = entry.object["id"]?.stringValue, !calendarIds.insert(id).inserted {
        context.issue(entry.path("id"), "duplicate calendar id \"\(id)\"")
      }
      guard let calendar = BusinessCalendar.parse(entry) else { continue }
      calendars[calendar.id] = calendars[calendar.id] ?? calendar
    }
    let declared = root.objects("queues")
    var queues = parseQueues(declared ?? [], calendars: calendars, context: context)
    let fallback: String
    if declared == nil {
      queues = [QueueDefinition(id: QueueDefinition.generalId)]
      fallback = QueueDefinition.generalId
    } else {
      if declared?.isEmpty == true {
        context.issue(
          root.path("queues"), "is empty; leave it out to use the single queue \"general\"")
      }
      fallback = QueueDefinition.unmatchedId
      if !queues.contains(where: { $0.id == fallback }) {
        queues.append(QueueDefinition(id: fallback, name: "Unmatched"))
      }
    }
    let names = QueueingNames(
      skills: skills.union([QueueDefinition.generalId]), tiers: tiers, channelKinds: channelKinds,
      queues: Set(queues.map(\.id)), calendars: Set(calendars.keys))
    let filterEntries = root.objects("filters")
    let filters = RoutingFilter.parseAll(filterEntries ?? [], names: names)
    if declared?.isEmpty == false, filterEntries?.isEmpty ?? true {
      context.warn(
        root.path("filters"),
        "no filters: every conversation lands in \"\(QueueDefinition.unmatchedId)\"")
    }
    let sla = SLAPolicy.parseAll(root.objects("sla") ?? [], names: names)
    let priority = PriorityPolicy.parse(root.object("priority"))
    var reservation = defaultReservationTimeout
    if let agents = root.object("agents") {
      reservation = period(agents, "reservation_timeout") ?? reservation
      agents.finish()
    }
    return QueueingConfig(
      workflow: RoutingWorkflow(
        filters: filters, queues: queues, calendars: calendars, fallbackQueue: fallback),
      slaPolicies: sla, priority: priority, reservationTimeout: reservation)
  }

  /// The longest duration a timeout or SLA target may have (a year and a day).
  public static let longestPeriod = 366 * 86_400.0

  /// A duration member that must be longer than zero and at most ``longestPeriod``.
  static func period(_ entry: ConfigObject, _ key: String) -> Double? {
    guard let seconds = entry.duration(key) else { return nil }
    guard seconds > 0 else {
      entry.context.issue(entry.path(key), "must be longer than zero")
      return nil
    }
    guard seconds <= longestPeriod else {
      entry.context.issue(entry.path(key), "must be at most 366 days")
      return nil
    }
    return seconds
  }

  private static func parseQueues(
    _ entries: [ConfigObject], calendars: [String: BusinessCalendar], context: ConfigContext
  ) -> [QueueDefinition] {
    var queues: [(entry: ConfigObject, queue: QueueDefinition)] = []
    for entry in entries {
      guard let queue = QueueDefinition.parse(entry) else { continue }
      if queues.contains(where: { $0.queue.id == queue.id }) {
        context.issue(entry.path("id"), "duplicate queue id \"\(queue.id)\"")
        continue
      }
      if let calendar = queue.calendar, calendars[calendar] == nil {
        context.issue(
          entry.path("calendar"),
          "unknown calendar \"\(calendar)\"\(RoutingFilter.known(Set(calendars.keys)))")
      }
      queues.append((entry, queue))
    }
    let ids = Set(queues.map(\.queue.id))
    for (entry, queue) in queues {
      guard case .overflow(let target) = queue.outsideHours else { continue }
      let path = "\(entry.path("outside_hours")).overflow_to"
      if target == queue.id {
        context.issue(path, "overflows into its own queue")
      } else if !ids.contains(target) && target != QueueDefinition.unmatchedId {
        context.issue(path, "unknown queue \"\(target)\"\(RoutingFilter.known(ids))")
      }
    }
    return queues.map(\.queue)
  }
}
