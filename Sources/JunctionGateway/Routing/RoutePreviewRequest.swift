import JunctionModel

/// What a route preview (`POST /v1/admin/route-preview`, `junction route`) is asked about.
enum RoutePreviewRequest {
  /// Facts from the optional parts of a preview: channel kind, contact attributes (a JSON
  /// object), language and time (RFC 3339; default now).
  static func facts(
    text: String, channel: String?, contact: String?, language: String?, at: String?
  ) throws(FieldError) -> RoutingFacts {
    var attributes = JSONObject()
    if let contact {
      guard let parsed = try? JSON.parse(Array(contact.utf8)), let object = parsed.objectValue
      else { throw FieldError(path: "contact", message: "expected a JSON object") }
      attributes = object
    }
    return try facts(text: text, channel: channel, contact: attributes, language: language, at: at)
  }

  static func facts(
    text: String, channel: String?, contact: JSONObject, language: String?, at: String?
  ) throws(FieldError) -> RoutingFacts {
    let kind = channel ?? "chat"
    guard ["chat", "sms", "email", "api"].contains(kind) else {
      throw FieldError(path: "channel", message: "expected chat, sms, email or api")
    }
    var time = Timestamp.now()
    if let at {
      guard let date = RFC3339.parse(at) else {
        throw FieldError(path: "at", message: "expected an RFC 3339 time")
      }
      time = Timestamp(date)
    }
    return RoutingFacts(
      text: text, channelKind: kind, language: language, contact: contact, time: time)
  }

  /// One line per part of the decision, for people.
  static func summary(_ decision: RoutingDecision) -> String {
    let skill = decision.understanding.skill
    var lines = [
      "skill:      \(skill.skill) (p=\(format(skill.probability)), \(skill.reason.name))",
      "complexity: \(format(decision.understanding.complexity.score)) → tier \(decision.tier)",
      "queue:      \(decision.queue) (\(decision.workflow.outcome.rawValue)"
        + (decision.workflow.filterName.map { ", filter \"\($0)\"" } ?? "") + ")",
      "priority:   \(decision.priority.total)",
    ]
    if let due = decision.firstResponseDue, let sla = decision.sla {
      lines.append("sla:        \(sla.policy), first response due \(due.rfc3339)")
    }
    if let hold = decision.workflow.hold {
      lines.append(
        "hold:       queue closed until \(hold.opensAt?.rfc3339 ?? "?")"
          + (hold.reply.map { "; replies \"\($0)\"" } ?? ""))
    }
    if decision.bot, let faq = decision.understanding.faq {
      lines.append("bot:        answers with FAQ \"\(faq.entryId)\" (\(faq.language))")
    }
    return lines.joined(separator: "\n")
  }

  static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
