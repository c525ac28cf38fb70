import JunctionModel

/// The skill chosen for a message and why.
public struct SkillDecision: Sendable, Equatable {
  /// How the skill was chosen.
  public enum Reason: Sendable, Equatable {
    /// The classifier's top skill cleared the confidence threshold.
    case classifier
    /// The classifier's top skill was below the threshold, so the fallback skill was used.
    case belowThreshold
    /// A keyword rule of `routing.json` (`rules[index]`) matched these keywords.
    case rule(index: Int, keywords: [String])
    /// A skill's own keywords matched.
    case skillKeywords([String])

    /// `"classifier"`, `"below_threshold"`, `"rule"` or `"skill_keywords"`.
    public var name: String {
      switch self {
      case .classifier: return "classifier"
      case .belowThreshold: return "below_threshold"
      case .rule: return "rule"
      case .skillKeywords: return "skill_keywords"
      }
    }
  }

  /// The chosen skill.
  public var skill: String
  /// The classifier's probability of the chosen skill (0 when it could not choose it).
  public var probability: Double
  /// Why this skill.
  public var reason: Reason
  /// The classifier's ranking of every skill, most likely first.
  public var prediction: SkillPrediction

  /// The classifier's most likely skills after the first, up to `count`.
  public func alternatives(_ count: Int = 3) -> [SkillProbability] {
    Array(prediction.ranking.filter { $0.skill != skill }.prefix(count))
  }

  /// `{"skill", "probability", "reason", "keywords"?, "rule"?, "alternatives": [...]}`.
  public var json: JSON {
    var object: JSONObject = [
      "skill": .string(skill), "probability": .double(probability), "reason": .string(reason.name),
    ]
    switch reason {
    case .rule(let index, let keywords):
      object["rule"] = .string("rules[\(index)]")
      object["keywords"] = .array(keywords.map { .string($0) })
    case .skillKeywords(let keywords):
      object["keywords"] = .array(keywords.map { .string($0) })
    default: break
    }
    object["alternatives"] = .array(
      alternatives().map { ["skill": .string($0.skill), "probability": .double($0.probability)] })
    return .object(object)
  }
}

/// Everything the router learned about one message: the input to queue selection (issue 6).
public struct UnderstandingResult: Sendable, Equatable {
  /// The normalised message: tokens, entities, detected language.
  public var text: NormalizedText
  /// The customer's language: detected from the script, else the bot's default.
  public var language: String
  /// The skill and why.
  public var skill: SkillDecision
  /// The complexity score, tier and signals.
  public var complexity: ComplexityAssessment
  /// The FAQ bot's best entry, whatever its confidence (nil without `faq.json`).
  public var faq: FAQMatch?
  /// Whether the bot would answer: the message is in the bot's tier and the FAQ match clears
  /// the bot's threshold (handoff phrases aside; see ``BotConversationStateMachine``).
  public var botAnswers: Bool

  /// The explanation as JSON, for `conversation.routed` and route previews.
  public var json: JSON {
    var object: JSONObject = [
      "language": .string(language), "skill": skill.json, "complexity": complexity.json,
      "entities": .array(
        text.entities.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] }),
      "normalized_text": .string(text.text), "bot_answers": .bool(botAnswers),
    ]
    if let faq {
      object["faq"] = [
        "entry_id": .string(faq.entryId), "confidence": .double(faq.confidence),
        "language": .string(faq.language), "question": .string(faq.question),
      ]
    }
    return .object(object)
  }
}
