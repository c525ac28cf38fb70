import JunctionModel
import Testing

@testable import JunctionRouting

@Suite struct UnderstandingTests {
  static func config(threshold: Double = 0.4) -> UnderstandingConfig {
    var config = UnderstandingConfig()
    config.examples = syntheticExamples
    config.skills = [SkillDefinition(id: "billing", keywords: ["invoice", "счёт-фактура"])]
    config.rules = [KeywordRule(keywords: ["refund", "верните деньги"], skill: "returns")]
    config.confidenceThreshold = threshold
    return config
  }
  static let understanding = Understanding(config: config())

  @Test func confidentSkillComesFromTheClassifier() {
    let decision = Self.understanding.understand(text: "the courier did not bring my parcel").skill
    #expect(decision.skill == "delivery")
    #expect(decision.reason == .classifier)
    #expect(decision.probability >= 0.4)
    #expect(decision.alternatives().count == 2)
  }

  @Test func belowTheThresholdTheSkillIsGeneral() {
    let strict = Understanding(config: Self.config(threshold: 0.99))
    let decision = strict.understand(text: "hello there, a question").skill
    #expect(decision.skill == "general")
    #expect(decision.reason == .belowThreshold)
    #expect(decision.prediction.top.map { $0.probability < 0.99 } == true)
  }

  @Test func keywordRulesOverrideTheClassifier() {
    let decision = Self.understanding.understand(text: "the courier was late, I want a refnud")
      .skill
    #expect(decision.skill == "returns")
    #expect(decision.reason == .rule(index: 0, keywords: ["refund"]))
    let russian = Self.understanding.understand(text: "Верните деньги за доставку!").skill
    #expect(russian.skill == "returns")
  }

  @Test func skillKeywordsOverrideTheClassifier() {
    let decision = Self.understanding.understand(text: "the app crashed, where is my invoice").skill
    #expect(decision.skill == "billing")
    #expect(decision.reason == .skillKeywords(["invoice"]))
    #expect(decision.json["reason"] == "skill_keywords")
  }

  @Test func withoutExamplesEverythingIsGeneral() {
    let empty = Understanding(config: UnderstandingConfig())
    let result = empty.understand(text: "anything at all")
    #expect(result.skill.skill == "general")
    #expect(result.faq == nil)
    #expect(result.complexity.tier == "L1")
    #expect(!result.botAnswers)
  }

  @Test func resultExplainsItselfAsJSON() {
    let result = Self.understanding.understand(
      text: "My parcel is late! Order #4411, mail me at a@b.com", attachments: 1)
    let json = result.json
    #expect(json["language"] == "en")
    #expect(json["normalized_text"] == "my parcel is late order <order> mail me at <email>")
    #expect(json["entities"]?[0]?["kind"] == "order")
    #expect(json["skill"]?["skill"] == "delivery")
    #expect(json["complexity"]?["tier"] == "L1")
    let signals = json["complexity"]?["signals"]
    #expect(signals?[0]?["signal"] != nil)
  }
}
