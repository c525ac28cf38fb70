import JunctionModel
import JunctionRouting

/// What the router knows about a message when it decides (a live conversation's first
/// message, a preview, or a routing test case).
public struct RoutingFacts: Sendable {
  public var text: String
  public var attachments: Int
  public var channelKind: String
  /// The contact's language, when the provider said; else the one detected from the text.
  public var language: String?
  public var contact: JSONObject
  /// The contact's earlier conversations within the complexity repeat window.
  public var recentConversations: Int
  public var time: Timestamp

  public init(
    text: String, attachments: Int = 0, channelKind: String = "chat", language: String? = nil,
    contact: JSONObject = JSONObject(), recentConversations: Int = 0, time: Timestamp
  ) {
    self.text = text
    self.attachments = attachments
    self.channelKind = channelKind
    self.language = language
    self.contact = contact
    self.recentConversations = recentConversations
    self.time = time
  }
}

/// One routing decision with everything that explains it (DESIGN.md principle 4): the skill
/// with its probability, the complexity with each signal's contribution, the filter and target
/// chosen and why the earlier ones did not match, the priority and the SLA deadlines.
public struct RoutingDecision: Sendable {
  public var understanding: UnderstandingResult
  public var workflow: WorkflowDecision
  public var priority: PriorityBreakdown
  /// The SLA terms that apply, and the first response deadline they give.
  public var sla: SLATerms?
  public var firstResponseDue: Timestamp?
  /// The FAQ bot takes the conversation first (bot tier and a confident answer).
  public var bot: Bool

  public var queue: String { workflow.queue }
  public var skill: String { understanding.skill.skill }
  public var tier: String { understanding.complexity.tier }

  /// The `conversation.routed` event's data (also what previews show).
  public var json: JSON {
    var object: JSONObject = [
      "queue": .string(queue), "skill": .string(skill), "tier": .string(tier),
      "priority": .int(Int64(priority.total)), "language": .string(understanding.language),
      "bot": .bool(bot),
      "understanding": understanding.json, "workflow": workflow.json,
      "priority_breakdown": priority.json,
    ]
    if let sla {
      var terms: JSONObject = ["policy": .string(sla.policy), "warning_at": .double(sla.warningAt)]
      terms["first_response_seconds"] = sla.firstResponse.map(JSON.double) ?? .null
      terms["next_response_seconds"] = sla.nextResponse.map(JSON.double) ?? .null
      terms["first_response_due"] = firstResponseDue.map(\.json) ?? .null
      object["sla"] = .object(terms)
    } else {
      object["sla"] = .null
    }
    return .object(object)
  }
}

/// Decides where a conversation goes: understanding (skill, complexity, tier, FAQ) then the
/// queueing workflow (filters, targets, calendars), priority and SLA. Pure.
public enum RoutingDecider {
  public static func decide(
    _ facts: RoutingFacts, configuration: RoutingConfiguration,
    agentsAvailable: (String) -> Bool = { _ in true }
  ) -> RoutingDecision {
    let understanding = configuration.understanding.understand(
      text: facts.text, attachments: facts.attachments, channelKind: facts.channelKind,
      contactAttributes: facts.contact, recentConversations: facts.recentConversations)
    // The bot tier belongs to the bot only when it can answer; otherwise people take it.
    var tier = understanding.complexity.tier
    if tier == configuration.understanding.config.bot.tier && !understanding.botAnswers {
      tier = humanTier(configuration)
    }
    return decide(
      facts, understanding: understanding, tier: tier, configuration: configuration,
      agentsAvailable: agentsAvailable)
  }

  /// The decision for a given understanding with the tier possibly overridden (a bot handoff
  /// routes as the first human tier).
  static func decide(
    _ facts: RoutingFacts, understanding: UnderstandingResult, tier: String,
    configuration: RoutingConfiguration, agentsAvailable: (String) -> Bool
  ) -> RoutingDecision {
    var understanding = understanding
    understanding.complexity.tier = tier
    let workflowFacts = WorkflowFacts(
      skill: understanding.skill.skill, tier: tier, channelKind: facts.channelKind,
      language: facts.language ?? understanding.language, contact: facts.contact, time: facts.time)
    let workflow = configuration.queueing.workflow.route(
      workflowFacts, agentsAvailable: agentsAvailable)
    let terms = configuration.queueing.slaTerms(
      channelKind: facts.channelKind, priority: workflow.priority, queue: workflow.queue)
    var firstDue: Timestamp?
    if let terms, let seconds = terms.seconds(for: .firstResponse) {
      firstDue = terms.calendar.add(businessSeconds: seconds, to: facts.time)
    }
    let deadline = firstDue.flatMap { due in
      terms.map {
        SLADeadline(
          target: .firstResponse, instance: 1, dueAt: due,
          targetSeconds: $0.firstResponse ?? 0, calendar: $0.calendar)
      }
    }
    let priority = configuration.queueing.priority.effectivePriority(
      base: workflow.priority, contact: facts.contact, now: facts.time, deadline: deadline)
    return RoutingDecision(
      understanding: understanding, workflow: workflow, priority: priority, sla: terms,
      firstResponseDue: firstDue,
      bot: tier == configuration.understanding.config.bot.tier
        && understanding.botAnswers)
  }

  /// The tier a conversation handed over by the bot is routed as: the first tier after the
  /// bot's.
  static func humanTier(_ configuration: RoutingConfiguration) -> String {
    let tiers = configuration.understanding.config.tiers.map(\.id)
    let botTier = configuration.understanding.config.bot.tier
    guard let index = tiers.firstIndex(of: botTier), index + 1 < tiers.count else {
      return tiers.first { $0 != botTier } ?? botTier
    }
    return tiers[index + 1]
  }
}
