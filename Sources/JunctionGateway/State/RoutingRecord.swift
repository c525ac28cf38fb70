import JunctionModel

/// What the journal says about a conversation's routing: enough for the router to escalate,
/// run the bot and keep SLA clocks after a restart, without the config it was decided with.
public struct RoutingRecord: Sendable, Equatable {
  /// One fact an SLA clock is folded from.
  public enum SLAFact: Sendable, Equatable {
    case customerMessage(Timestamp)
    case agentReply(Timestamp)
    case waitingOnCustomer(Timestamp)
    case resolved(Timestamp)
    /// A warning or breach already journaled (`first_response:1:sla.breached`).
    case recorded(String)
  }

  /// The bot's memory of the conversation.
  public enum BotState: Sendable, Equatable {
    case listening(waitingSince: Timestamp?)
    case answered(entryId: String)
    case handedOff
  }

  public var skill: String
  public var tier: String
  public var language: String?
  public var channelKind: String
  /// The workflow's position: filter and target index, and when the target times out.
  public var filterIndex: Int?
  public var targetIndex: Int?
  public var timeoutAt: Timestamp?
  public var passedTargets: JSON
  /// The SLA policy that applies (nil: none), and the clock's facts since a human queue
  /// took the conversation.
  public var slaPolicy: String?
  public var sla: [SLAFact] = []
  /// Set while the FAQ bot handles the conversation (it is not waiting for an agent then).
  public var bot: BotState?
  public var botAnswers = 0
  /// Whether an agent has replied since routing (escalation stops then).
  public var agentReplied = false

  /// Reads a `conversation.routed` (or escalating `conversation.transferred`) data object.
  init(routed data: FieldReader, at: Timestamp) throws(FieldError) {
    skill = try data.string("skill")
    tier = try data.string("tier")
    language = try data.optionalString("language")
    channelKind = try data.optionalString("channel_kind") ?? "chat"
    let workflow = try data.object("workflow")
    filterIndex = try Self.filterIndex(workflow)
    targetIndex = try workflow.optionalInt("target").map(Int.init)
    timeoutAt = try workflow.optionalTimestamp("timeout_at")
    passedTargets = workflow.value("targets_passed") ?? .array([])
    if let sla = try data.optionalObject("sla") { slaPolicy = try sla.string("policy") }
    if try data.optionalBool("bot") == true { bot = .listening(waitingSince: nil) }
    if bot == nil { sla = [.customerMessage(at)] }
  }

  /// Applies an escalation: the workflow moved on to the next target.
  mutating func escalated(workflow: FieldReader) throws(FieldError) {
    filterIndex = try Self.filterIndex(workflow) ?? filterIndex
    targetIndex = try workflow.optionalInt("target").map(Int.init)
    timeoutAt = try workflow.optionalTimestamp("timeout_at")
    passedTargets = workflow.value("targets_passed") ?? passedTargets
  }

  private static func filterIndex(_ workflow: FieldReader) throws(FieldError) -> Int? {
    guard let filter = try workflow.optionalObject("filter") else { return nil }
    return Int(try filter.int("index"))
  }

  /// Whether the router must still watch the conversation (a timer may fire).
  var isWatched: Bool {
    (timeoutAt != nil && !agentReplied) || slaPolicy != nil || bot != nil
  }

  var json: JSON {
    var object: JSONObject = [
      "skill": .string(skill), "tier": .string(tier), "language": .optional(language),
      "channel_kind": .string(channelKind), "sla_policy": .optional(slaPolicy),
      "agent_replied": .bool(agentReplied), "bot_answers": .int(Int64(botAnswers)),
      "passed_targets": passedTargets,
    ]
    object["filter_index"] = filterIndex.map { .int(Int64($0)) } ?? .null
    object["target_index"] = targetIndex.map { .int(Int64($0)) } ?? .null
    object["timeout_at"] = timeoutAt.map(\.json) ?? .null
    switch bot {
    case .listening(let since):
      object["bot"] = ["state": "listening", "since": since.map(\.json) ?? .null]
    case .answered(let entry): object["bot"] = ["state": "answered", "entry": .string(entry)]
    case .handedOff: object["bot"] = ["state": "handed_off"]
    case nil: object["bot"] = .null
    }
    object["sla"] = .array(sla.map(\.json))
    return .object(object)
  }

  init(json: FieldReader) throws(FieldError) {
    skill = try json.string("skill")
    tier = try json.string("tier")
    language = try json.optionalString("language")
    channelKind = try json.string("channel_kind")
    slaPolicy = try json.optionalString("sla_policy")
    agentReplied = try json.optionalBool("agent_replied") ?? false
    botAnswers = Int(try json.optionalInt("bot_answers") ?? 0)
    passedTargets = json.value("passed_targets") ?? .array([])
    filterIndex = try json.optionalInt("filter_index").map(Int.init)
    targetIndex = try json.optionalInt("target_index").map(Int.init)
    timeoutAt = try json.optionalTimestamp("timeout_at")
    if let bot = try json.optionalObject("bot") {
      switch try bot.string("state") {
      case "listening": self.bot = .listening(waitingSince: try bot.optionalTimestamp("since"))
      case "answered": self.bot = .answered(entryId: try bot.string("entry"))
      default: self.bot = .handedOff
      }
    }
    sla = try json.array("sla").compactMap(SLAFact.init(json:))
  }
}

extension RoutingRecord.SLAFact {
  var json: JSON {
    switch self {
    case .customerMessage(let at): return ["customer", .int(at.millis)]
    case .agentReply(let at): return ["agent", .int(at.millis)]
    case .waitingOnCustomer(let at): return ["waiting", .int(at.millis)]
    case .resolved(let at): return ["resolved", .int(at.millis)]
    case .recorded(let key): return ["recorded", .string(key)]
    }
  }

  init?(json: JSON) {
    guard let kind = json[0]?.stringValue, let value = json[1] else { return nil }
    let at = Timestamp(millis: value.intValue ?? 0)
    switch kind {
    case "customer": self = .customerMessage(at)
    case "agent": self = .agentReply(at)
    case "waiting": self = .waitingOnCustomer(at)
    case "resolved": self = .resolved(at)
    case "recorded":
      guard let key = value.stringValue else { return nil }
      self = .recorded(key)
    default: return nil
    }
  }
}
