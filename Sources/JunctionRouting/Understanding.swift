import JunctionConfig
import JunctionModel

/// The router's first half, trained from `routing.json`, its examples and `faq.json`: what a
/// message is about (skill), how hard it is (complexity and tier), and whether the FAQ bot can
/// answer it. Pure and immutable once built; share one instance across threads.
public struct Understanding: Sendable {
  /// The checked configuration it was built from.
  public let config: UnderstandingConfig
  /// The trained classifier; nil when fewer than two skills have examples.
  public let classifier: SkillClassifier?
  /// The complexity scorer with its tiers.
  public let complexity: ComplexityScorer
  /// The FAQ bot.
  public let bot: FAQBot
  let normalizer = TextNormalizer()
  let rules: [PhraseMatcher]
  let skillKeywords: [(skill: String, matcher: PhraseMatcher)]

  /// Trains the classifier and indexes the FAQ (a few seconds for ten thousand examples:
  /// BANKING77's 10,003 train in about 7 s on two loaded cores).
  public init(config: UnderstandingConfig, options: ClassifierOptions = ClassifierOptions()) {
    self.config = config
    let labels = Set(config.examples.map(\.label))
    classifier =
      labels.count >= 2 ? SkillClassifier(examples: config.examples, options: options) : nil
    complexity = ComplexityScorer(settings: config.complexity, tiers: config.tiers)
    let corpus = config.examples.map { TextNormalizer().normalize($0.text).tokens }
    bot = FAQBot(entries: config.faq, settings: config.bot, corpus: corpus)
    rules = config.rules.map { PhraseMatcher($0.keywords) }
    skillKeywords = config.skills.filter { !$0.keywords.isEmpty }.map {
      ($0.id, PhraseMatcher($0.keywords))
    }
  }

  /// Reads, checks and trains from `directory` (`routing.json`, its CSV and `faq.json`, all
  /// optional). Throws every problem found, each naming its file and JSON path (or CSV line).
  public static func load(_ directory: ConfigDirectory) throws(ConfigError) -> (
    understanding: Understanding, warnings: [ConfigIssue]
  ) {
    let (config, issues, warnings) = UnderstandingConfig.read(directory)
    guard issues.isEmpty else { throw ConfigError(issues) }
    return (Understanding(config: config), warnings)
  }

  /// The skill of a normalised message: a keyword rule, else a skill's keywords, else the
  /// classifier's top skill when it clears the threshold, else the fallback skill.
  public func skill(of text: NormalizedText) -> SkillDecision {
    let prediction = classifier?.classify(text) ?? SkillPrediction(ranking: Self.single(config))
    func probability(_ skill: String) -> Double {
      prediction.ranking.first { $0.skill == skill }?.probability ?? 0
    }
    for (index, matcher) in rules.enumerated() {
      let found = matcher.matches(in: text)
      if !found.isEmpty {
        let skill = config.rules[index].skill
        return SkillDecision(
          skill: skill, probability: probability(skill),
          reason: .rule(index: index, keywords: found),
          prediction: prediction)
      }
    }
    let keyed = skillKeywords.map { ($0.skill, $0.matcher.matches(in: text)) }.filter {
      !$0.1.isEmpty
    }
    if let best = keyed.max(by: { probability($0.0) < probability($1.0) }) {
      return SkillDecision(
        skill: best.0, probability: probability(best.0), reason: .skillKeywords(best.1),
        prediction: prediction)
    }
    if let top = prediction.top, top.probability >= config.confidenceThreshold {
      return SkillDecision(
        skill: top.skill, probability: top.probability, reason: .classifier, prediction: prediction)
    }
    let fallback = config.fallbackSkill
    return SkillDecision(
      skill: fallback, probability: probability(fallback), reason: .belowThreshold,
      prediction: prediction)
  }

  /// Understands one message: skill, complexity and tier, language, entities, FAQ candidate.
  /// - Parameters:
  ///   - attachments: how many attachments the message carries.
  ///   - channelKind: the channel's kind (`chat`, `email`, `sms`), for the channel signal.
  ///   - contactAttributes: the contact's attributes (VIP, at risk).
  ///   - recentConversations: the contact's earlier conversations within
  ///     `complexity.repeat_window` (``ComplexitySettings/repeatWindow``).
  public func understand(
    text: String, attachments: Int = 0, channelKind: String = "chat",
    contactAttributes: JSONObject = JSONObject(), recentConversations: Int = 0
  ) -> UnderstandingResult {
    let normalized = normalizer.normalize(text)
    let decision = skill(of: normalized)
    let assessment = complexity.assess(
      ComplexityInput(
        text: normalized, prediction: decision.prediction, attachments: attachments,
        channelKind: channelKind, contactAttributes: contactAttributes,
        recentConversations: recentConversations))
    let faq = bot.bestMatch(normalized)
    let answers =
      assessment.tier == config.bot.tier && (faq?.confidence ?? 0) >= config.bot.confidenceThreshold
    return UnderstandingResult(
      text: normalized, language: normalized.language ?? config.bot.defaultLanguage,
      skill: decision,
      complexity: assessment, faq: faq, botAnswers: answers)
  }

  /// A fresh bot state machine for a conversation entering the bot tier.
  public func botConversation() -> BotConversationStateMachine {
    BotConversationStateMachine(bot: bot)
  }

  /// Without a classifier: the only skill with examples (or the fallback) at probability 1.
  static func single(_ config: UnderstandingConfig) -> [SkillProbability] {
    [SkillProbability(skill: config.examples.first?.label ?? config.fallbackSkill, probability: 1)]
  }
}
