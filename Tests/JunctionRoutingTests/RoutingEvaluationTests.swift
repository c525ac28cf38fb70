import Testing

@testable import JunctionRouting

@Suite struct RoutingEvaluationTests {
  func prediction(_ skill: String, _ probability: Double, _ other: String) -> SkillPrediction {
    SkillPrediction(ranking: [
      SkillProbability(skill: skill, probability: probability),
      SkillProbability(skill: other, probability: 1 - probability),
    ])
  }

  @Test func countsAccuracyThresholdAndConfusions() {
    let rows = [
      LabelledText(text: "a", label: "billing"), LabelledText(text: "b", label: "billing"),
      LabelledText(text: "c", label: "delivery"), LabelledText(text: "d", label: "delivery"),
    ]
    let predictions = [
      prediction("billing", 0.9, "delivery"), prediction("delivery", 0.6, "billing"),
      prediction("delivery", 0.3, "billing"), prediction("delivery", 0.8, "billing"),
    ]
    let evaluation = RoutingEvaluation(
      rows: rows, predictions: predictions, threshold: 0.5, secondsPerMessage: 12e-6)
    #expect(evaluation.accuracy == 0.75)
    #expect(evaluation.belowThreshold == 1)
    #expect(evaluation.accuracyAboveThreshold == 2.0 / 3.0)
    #expect(evaluation.skills.map(\.skill) == ["billing", "delivery"])
    #expect(evaluation.skills[0].precision == 1 && evaluation.skills[0].recall == 0.5)
    #expect(evaluation.skills[1].precision == 2.0 / 3.0 && evaluation.skills[1].recall == 1)
    #expect(
      evaluation.confusions.count == 1 && evaluation.confusions[0] == ("billing", "delivery", 1))
    let report = evaluation.report(threshold: 0.5)
    #expect(report.split(separator: "\n").last == "accuracy: 0.7500")
    #expect(report.contains("1  billing -> delivery"))
    #expect(report.contains("12.0 µs"))
  }

  @Test func anUnderstandingEvaluatesItsOwnExamples() {
    let understanding = UnderstandingTests.understanding
    let predictions = syntheticExamples.map { understanding.prediction($0.text) }
    let evaluation = understanding.evaluate(
      syntheticExamples, predictions: predictions, secondsPerMessage: 0)
    #expect(evaluation.total == syntheticExamples.count)
    #expect(evaluation.accuracy > 0.9)
  }
}
