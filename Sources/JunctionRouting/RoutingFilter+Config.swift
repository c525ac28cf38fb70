import JunctionConfig
import JunctionModel

/// The names a workflow's references are checked against while `routing.json` is read.
struct QueueingNames {
  var skills: Set<String>
  var tiers: [String]
  var channelKinds: Set<String>
  var queues: Set<String>
  var calendars: Set<String>
}

extension RoutingFilter {
  /// Reads `filters`: each `{"name", "when": {…}, "targets": [{…}]}`. Reports unknown skills,
  /// tiers, channel kinds, calendars and queues, empty condition lists, filters that an earlier
  /// filter makes unreachable and targets that an earlier target without a timeout makes
  /// unreachable.
  static func parseAll(_ entries: [ConfigObject], names: QueueingNames) -> [RoutingFilter] {
    var filters: [(path: String, filter: RoutingFilter, clean: Bool)] = []
    for entry in entries {
      let issuesBefore = entry.context.issues.count
      let name = entry.nonEmptyString("name") ?? entry.path
      let when = entry.object("when")
      let conditions = when.map { parseConditions($0, names: names) } ?? FilterConditions()
      let items = entry.array("targets", required: true) ?? []
      let targets = items.compactMap {
        parseTarget(ConfigObject($0.value, path: $0.path, context: entry.context), names: names)
      }
      if entry.has("targets"), items.isEmpty {
        entry.context.issue(entry.path("targets"), "needs at least one target")
      }
      checkTargetsReachable(items, context: entry.context)
      entry.finish()
      let clean = entry.context.issues.count == issuesBefore
      if let earlier = filters.first(where: { $0.clean && $0.filter.conditions.covers(conditions) })
      {
        let why =
          earlier.filter.conditions.matchesEverything
          ? "has no conditions" : "matches everything this filter matches"
        entry.context.issue(
          entry.path, "unreachable: \(earlier.path) (\"\(earlier.filter.name)\") \(why)")
      }
      filters.append(
        (entry.path, RoutingFilter(name: name, conditions: conditions, targets: targets), clean))
    }
    return filters.map(\.filter)
  }

  private static func parseConditions(_ when: ConfigObject, names: QueueingNames)
    -> FilterConditions
  {
    var conditions = FilterConditions()
    conditions.skills = nameList(when, "skills", known: names.skills, what: "skill")
    conditions.tiers = nameList(when, "tiers", known: Set(names.tiers), what: "tier")
    conditions.channelKinds = nameList(
      when, "channel_kinds", known: names.channelKinds, what: "channel kind")
    conditions.languages = nameList(when, "languages", known: nil, what: "language").map {
      Set($0.map { $0.lowercased() })
    }
    if let contact = when.object("contact") {
      for attribute in contact.object.keys {
        guard let value = contact.raw(attribute) else { continue }
        let values = value.arrayValue ?? [value]
        if values.isEmpty
          || values.contains(where: { $0.arrayValue != nil || $0.objectValue != nil })
        {
          when.context.issue(
            contact.path(attribute), "expected a value or a non-empty array of values to match")
          continue
        }
        conditions.contact.append(ContactCondition(attribute: attribute, values: values))
      }
      contact.finish()
    }
    if let time = when.object("time") {
      let calendar = time.nonEmptyString("calendar", required: true)
      let inside = time.bool("inside") ?? true
      if let calendar, !names.calendars.contains(calendar) {
        time.context.issue(
          time.path("calendar"), "unknown calendar \"\(calendar)\"\(known(names.calendars))")
      }
      time.finish()
      if let calendar { conditions.time = TimeCondition(calendar: calendar, inside: inside) }
    }
    when.finish()
    return conditions
  }

  /// A list of names, each checked against `known` (nil accepts any non-empty name).
  private static func nameList(
    _ object: ConfigObject, _ key: String, known: Set<String>?, what: String
  ) -> Set<String>? {
    guard let items = object.array(key) else { return nil }
    if items.isEmpty {
      object.context.issue(
        object.path(key), "is empty and would match nothing; leave it out to match any \(what)")
    }
    var result: Set<String> = []
    for (path, item) in items {
      guard let text = item.stringValue, !text.isEmpty else {
        object.context.issue(path, "expected a non-empty string, found \(item.typeName)")
        continue
      }
      if let known, !known.contains(text) {
        object.context.issue(path, "unknown \(what) \"\(text)\"\(Self.known(known))")
        continue
      }
      result.insert(text)
    }
    return result
  }

  private static func parseTarget(_ entry: ConfigObject, names: QueueingNames) -> FilterTarget? {
    let queue = entry.nonEmptyString("queue", required: true)
    if let queue, !names.queues.contains(queue) {
      entry.context.issue(entry.path("queue"), "unknown queue \"\(queue)\"\(known(names.queues))")
    }
    let timeout = QueueingConfig.period(entry, "timeout")
    let priority = entry.int("priority", range: -1_000_000...1_000_000) ?? 0
    let skip = entry.bool("skip_if_no_agents") ?? false
    entry.finish()
    guard let queue else { return nil }
    return FilterTarget(queue: queue, timeout: timeout, priority: priority, skipIfNoAgents: skip)
  }

  /// A target after one that never times out and is never skipped cannot be reached.
  private static func checkTargetsReachable(
    _ items: [(path: String, value: JSON)], context: ConfigContext
  ) {
    for (index, item) in items.enumerated() {
      let hasTimeout = item.value["timeout"].map { !$0.isNull } ?? false
      let skips = item.value["skip_if_no_agents"]?.boolValue ?? false
      if !hasTimeout, !skips, index + 1 < items.count {
        context.issue(
          items[index + 1].path,
          "unreachable: \(items[index].path) has no \"timeout\" and no \"skip_if_no_agents\", so "
            + "conversations never move past it")
        return
      }
    }
  }

  /// ` (known: a, b, c)` for error messages, or nothing when the set is empty.
  static func known(_ names: Set<String>) -> String {
    names.isEmpty ? " (none declared)" : " (known: \(names.sorted().joined(separator: ", ")))"
  }
}
