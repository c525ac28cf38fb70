import JunctionModel

/// What the complexity scorer looks at for one message; plain values the gateway has at hand.
public struct ComplexityInput: Sendable {
  /// The normalised message.
  public var text: NormalizedText
  /// The classifier's ranking (for uncertainty and several skills at once).
  public var prediction: SkillPrediction
  /// Attachments on the message.
  public var attachments: Int
  /// The channel kind (`chat`, `email`, `sms` ...).
  public var channelKind: String
  /// The contact's attributes.
  public var contactAttributes: JSONObject
  /// The contact's earlier conversations within the repeat window.
  public var recentConversations: Int

  /// Creates an input.
  public init(
    text: NormalizedText, prediction: SkillPrediction, attachments: Int = 0,
    channelKind: String = "chat", contactAttributes: JSONObject = JSONObject(),
    recentConversations: Int = 0
  ) {
    self.text = text
    self.prediction = prediction
    self.attachments = attachments
    self.channelKind = channelKind
    self.contactAttributes = contactAttributes
    self.recentConversations = recentConversations
  }
}

/// One signal's part in a complexity score.
public struct SignalContribution: Sendable, Equatable {
  /// The signal.
  public var signal: ComplexitySignal
  /// The signal's value in [0, 1].
  public var value: Double
  /// Its configured weight.
  public var weight: Double
  /// What it found (`"2 attachments"`, `"жалоба"`), for the explanation.
  public var detail: String

  /// weight × value.
  public var contribution: Double { weight * value }

  /// `{"signal": ..., "value": ..., "weight": ..., "contribution": ..., "detail": ...}`.
  public var json: JSON {
    [
      "signal": .string(signal.rawValue), "value": .double(value), "weight": .double(weight),
      "contribution": .double(contribution), "detail": .string(detail),
    ]
  }
}

/// A message's complexity: the score, the tier it falls in and every signal's part.
public struct ComplexityAssessment: Sendable, Equatable {
  /// Sum of contributions, capped to [0, 1].
  public var score: Double
  /// The tier the score falls in.
  public var tier: String
  /// Signals with a non-zero value, in ``ComplexitySignal`` order.
  public var contributions: [SignalContribution]

  /// `{"score": ..., "tier": ..., "signals": [...]}`.
  public var json: JSON {
    [
      "score": .double(score), "tier": .string(tier),
      "signals": .array(contributions.map(\.json)),
    ]
  }
}

/// Scores how hard a message is from explainable signals weighted in `routing.json`.
public struct ComplexityScorer: Sendable {
  /// The weights, thresholds and lists.
  public let settings: ComplexitySettings
  /// The tiers, in order.
  public let tiers: [ComplexityTier]
  let escalation: PhraseMatcher

  /// Creates a scorer.
  public init(
    settings: ComplexitySettings = ComplexitySettings(),
    tiers: [ComplexityTier] = ComplexityTier.defaults
  ) {
    self.settings = settings
    self.tiers = tiers.isEmpty ? ComplexityTier.defaults : tiers
    escalation = PhraseMatcher(settings.escalationWords)
  }

  /// Scores `input`.
  public func assess(_ input: ComplexityInput) -> ComplexityAssessment {
    var parts: [SignalContribution] = []
    func add(_ signal: ComplexitySignal, _ value: Double, _ detail: String) {
      let clamped = min(max(value, 0), 1)
      guard clamped > 0 else { return }
      parts.append(
        SignalContribution(
          signal: signal, value: clamped, weight: settings.weights[signal] ?? 0, detail: detail))
    }
    let ranking = input.prediction.ranking
    if let top = ranking.first {
      add(
        .uncertainty, 1 - top.probability,
        "top skill \(top.skill) at \(Self.format(top.probability))")
    }
    let words = input.text.tokens.count
    let span = Double(max(settings.longMessageWords - settings.shortMessageWords, 1))
    add(.length, Double(words - settings.shortMessageWords) / span, "\(words) words")
    if ranking.count > 1, ranking[1].probability >= settings.multipleSkillsMin,
      ranking[0].probability > 0
    {
      add(
        .multipleSkills, ranking[1].probability / ranking[0].probability,
        "\(ranking[0].skill) and \(ranking[1].skill)")
    }
    add(
      .attachments, Double(input.attachments) / Double(max(settings.attachmentsForFull, 1)),
      "\(input.attachments) attachments")
    add(
      .repeatContact,
      Double(input.recentConversations) / Double(max(settings.repeatsForFull, 1)),
      "\(input.recentConversations) earlier conversations")
    let found = escalation.matches(in: input.text)
    if !found.isEmpty { add(.escalation, 1, found.joined(separator: ", ")) }
    if Self.isSet(input.contactAttributes[settings.vipAttribute]) {
      add(.vip, 1, settings.vipAttribute)
    }
    if Self.isSet(input.contactAttributes[settings.atRiskAttribute]) {
      add(.atRisk, 1, settings.atRiskAttribute)
    }
    add(.channel, settings.channels[input.channelKind] ?? 0, input.channelKind)
    let score = min(max(parts.reduce(0) { $0 + $1.contribution }, 0), 1)
    return ComplexityAssessment(
      score: score, tier: ComplexityTier.tier(for: score, in: tiers), contributions: parts)
  }

  /// Whether an attribute value counts as set: true, a non-zero number, or a string other than
  /// empty, "false", "no" and "0".
  static func isSet(_ value: JSON?) -> Bool {
    switch value {
    case .bool(let flag)?: return flag
    case .int(let number)?: return number != 0
    case .double(let number)?: return number != 0
    case .string(let text)?: return !["", "false", "no", "0"].contains(text.lowercased())
    default: return false
    }
  }

  static func format(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return "\(rounded)"
  }
}
