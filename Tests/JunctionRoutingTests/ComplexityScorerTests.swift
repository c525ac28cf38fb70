import JunctionModel
import Testing

@testable import JunctionRouting

@Suite struct ComplexityScorerTests {
  let tiers = [
    ComplexityTier(id: "bot", below: 0.25), ComplexityTier(id: "L1", below: 0.5),
    ComplexityTier(id: "L2", below: 0.8), ComplexityTier(id: "L3", below: nil),
  ]
  let sure = SkillPrediction(ranking: [
    SkillProbability(skill: "delivery", probability: 1),
    SkillProbability(skill: "billing", probability: 0),
  ])

  func assess(
    _ text: String, prediction: SkillPrediction? = nil, attachments: Int = 0,
    channel: String = "chat",
    attributes: JSONObject = JSONObject(), recent: Int = 0,
    settings: ComplexitySettings = ComplexitySettings()
  ) -> ComplexityAssessment {
    ComplexityScorer(settings: settings, tiers: tiers).assess(
      ComplexityInput(
        text: TextNormalizer().normalize(text), prediction: prediction ?? sure,
        attachments: attachments,
        channelKind: channel, contactAttributes: attributes, recentConversations: recent))
  }

  @Test func aPlainQuestionIsSimple() {
    let result = assess("where is my parcel")
    #expect(result.score == 0)
    #expect(result.contributions.isEmpty)
    #expect(result.tier == "bot")
  }

  @Test func everySignalRaisesTheScoreAndExplainsItself() {
    let base = assess("where is my parcel").score
    let unsure = SkillPrediction(ranking: [
      SkillProbability(skill: "delivery", probability: 0.5),
      SkillProbability(skill: "billing", probability: 0.45),
      SkillProbability(skill: "returns", probability: 0.05),
    ])
    let longText = Array(repeating: "word", count: 60).joined(separator: " ")
    let cases: [(ComplexitySignal, ComplexityAssessment)] = [
      (.uncertainty, assess("where is my parcel", prediction: unsure)),
      (.multipleSkills, assess("where is my parcel", prediction: unsure)),
      (.length, assess(longText)),
      (.attachments, assess("where is my parcel", attachments: 2)),
      (.repeatContact, assess("where is my parcel", recent: 2)),
      (.escalation, assess("I will file a complaint")),
      (.escalation, assess("пишу жалобу в суд")),
      (.escalation, assess("شکایت دارم")),
      (.escalation, assess("I want to cancel my acount")),
      (.vip, assess("where is my parcel", attributes: ["vip": true])),
      (.atRisk, assess("where is my parcel", attributes: ["at_risk": "yes"])),
      (.channel, assess("where is my parcel", channel: "email")),
    ]
    for (signal, result) in cases {
      #expect(result.score > base, "\(signal)")
      let part = result.contributions.first { $0.signal == signal }
      #expect(part != nil, "\(signal)")
      #expect((part?.contribution ?? 0) > 0, "\(signal)")
      #expect(result.json["signals"] != nil)
    }
  }

  @Test func escalationNamesTheWordsFound() {
    let result = assess("Это безобразие, пишу жалобу, верните деньги")
    let part = result.contributions.first { $0.signal == .escalation }
    #expect(part?.detail == "жалоба, верните деньги, безобразие")
  }

  @Test func attributesThatAreNotSetDoNotCount() {
    let result = assess(
      "where is my parcel", attributes: ["vip": false, "at_risk": "no"])
    #expect(result.score == 0)
  }

  @Test func weightsComeFromSettingsAndTheScoreIsCapped() {
    var settings = ComplexitySettings()
    settings.weights[.vip] = 0
    #expect(assess("where is my parcel", attributes: ["vip": true], settings: settings).score == 0)
    let everything = assess(
      "complaint lawyer court", attachments: 5, channel: "email",
      attributes: ["vip": 1, "at_risk": true],
      recent: 9)
    #expect(everything.score == 1)
    #expect(everything.tier == "L3")
  }

  @Test func tiersFollowTheirBounds() {
    #expect(ComplexityTier.tier(for: 0.1, in: tiers) == "bot")
    #expect(ComplexityTier.tier(for: 0.25, in: tiers) == "L1")
    #expect(ComplexityTier.tier(for: 0.79, in: tiers) == "L2")
    #expect(ComplexityTier.tier(for: 0.8, in: tiers) == "L3")
    #expect(ComplexityTier.tier(for: 1, in: tiers) == "L3")
    #expect(assess("where is my parcel", attachments: 3, recent: 3).tier == "L1")
  }
}
