import Testing

@testable import JunctionRouting

/// The synthetic shop grown to 80 examples per skill (greetings and sign-offs around each
/// example), enough for the classifier's second stage to be trained.
let largerSyntheticExamples: [LabelledText] = {
  let openings = ["", "hi, ", "hello, ", "please help: ", "urgent: "]
  let endings = ["", " thanks"]
  return syntheticExamples.flatMap { example in
    openings.flatMap { opening in
      endings.map { LabelledText(text: opening + example.text + $0, label: example.label) }
    }
  }
}()

@Suite struct ScoreStackerTests {
  static let classifier = SkillClassifier(examples: largerSyntheticExamples)

  @Test func secondStageIsTrainedOnlyWithEnoughExamplesPerSkill() {
    #expect(Self.classifier.stacker != nil)
    #expect(SkillClassifier(examples: syntheticExamples).stacker == nil)
    var options = ClassifierOptions()
    options.stacking = false
    #expect(SkillClassifier(examples: largerSyntheticExamples, options: options).stacker == nil)
  }

  @Test func secondStageKeepsTheRightSkillOnTop() {
    let cases = [
      ("my card was charged two times", "billing"),
      ("when does the courier bring my parcel", "delivery"),
      ("the app crashes when I log in", "technical"), ("доставка посылки", "delivery"),
      ("my crad paymnet was declnied", "billing"), ("the ap crahses on strat", "technical"),
    ]
    for (text, skill) in cases {
      let prediction = Self.classifier.classify(text)
      #expect(prediction.top?.skill == skill, "\(text)")
      #expect(abs(prediction.ranking.map(\.probability).reduce(0, +) - 1) < 1e-6)
    }
  }

  @Test func secondStageStartsFromTheScaledIdentity() {
    // No steps beyond the first: the stage is (almost) the plain scaled softmax.
    let held: [(scores: [Float], label: Int)] = [([1, -1], 0), ([-1, 1], 1)]
    let stage = ScoreStacker(
      held: held, classCount: 2, scale: 4, penalty: 0, iterations: 1, rate: 1e-6)
    let logits = stage.logits([0.5, -0.25])
    #expect(abs(logits[0] - 2) < 1e-3)
    #expect(abs(logits[1] + 1) < 1e-3)
  }
}
