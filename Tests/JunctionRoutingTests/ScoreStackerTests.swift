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

  @Test(arguments: [1, 3, 4, 7, 8, 13, 32, 45, 77])
  func logitsEqualAPlainMatrixProductBitForBit(classes n: Int) {
    // The register-tiled product sums every output in the plain loop's order, for any size.
    var random = SplitMix64(seed: UInt64(n))
    func uniform() -> Float { Float(Double(random.next() >> 40) / Double(1 << 24)) * 4 - 2 }
    var stage = ScoreStacker(
      held: [([Float](repeating: 0, count: n), 0)], classCount: n, scale: 1, penalty: 0,
      iterations: 1, rate: 0)
    stage.matrix = (0..<(n * n)).map { _ in uniform() }
    stage.bias = (0..<n).map { _ in uniform() }
    let scores = (0..<n).map { _ in uniform() }
    var expected = stage.bias
    for from in 0..<n {
      for to in 0..<n { expected[to] += scores[from] * stage.matrix[from * n + to] }
    }
    #expect(stage.logits(scores) == expected)
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
