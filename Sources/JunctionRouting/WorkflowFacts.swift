import JunctionModel

/// What the workflow knows about a conversation when it picks a queue: the understanding
/// half's verdict (skill, tier), where and in which language the customer wrote, who they are,
/// and when.
public struct WorkflowFacts: Sendable, Equatable {
  /// The classified skill (`billing`), nil when unknown.
  public var skill: String?
  /// The complexity tier (`l1`), nil when unknown.
  public var tier: String?
  /// The channel kind of the conversation's channel (`chat`, `sms`, `email`, `api`).
  public var channelKind: String
  /// The customer's language (`ru`, `en-GB`), nil when unknown.
  public var language: String?
  /// The contact's attributes (`{"vip": true, "plan": "gold"}`).
  public var contact: JSONObject
  /// The moment of the decision (the message's arrival, or now for an escalation).
  public var time: Timestamp

  /// Facts for one decision.
  public init(
    skill: String? = nil, tier: String? = nil, channelKind: String, language: String? = nil,
    contact: JSONObject = JSONObject(), time: Timestamp
  ) {
    self.skill = skill
    self.tier = tier
    self.channelKind = channelKind
    self.language = language
    self.contact = contact
    self.time = time
  }

  /// The language's primary subtag in lower case (`en-GB` → `en`).
  public var primaryLanguage: String? {
    guard let language else { return nil }
    let primary = language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first
    return primary.map { $0.lowercased() }
  }
}
