import Foundation

/// How well a configured router classifies a labelled set (`junction route eval`): top-skill
/// accuracy, rows below the confidence threshold, per-skill precision and recall, the most
/// confused pairs and the mean time per message. Pure: the caller measures time.
public struct RoutingEvaluation: Sendable, Equatable {
  /// One skill's row in the table.
  public struct SkillScore: Sendable, Equatable {
    /// The skill.
    public var skill: String
    /// Rows labelled with it.
    public var support: Int
    /// Of the rows predicted as this skill, the share labelled with it (nil if none predicted).
    public var precision: Double?
    /// Of the rows labelled with this skill, the share predicted as it (nil without rows).
    public var recall: Double?
  }

  /// Rows evaluated.
  public var total: Int
  /// Rows whose label was the classifier's top-ranked skill.
  public var correct: Int
  /// Rows whose top probability was below the confidence threshold.
  public var belowThreshold: Int
  /// Of the rows at or above the threshold, those predicted correctly.
  public var correctAboveThreshold: Int
  /// Precision and recall per skill, sorted by skill.
  public var skills: [SkillScore]
  /// (label, predicted, count), most frequent first.
  public var confusions: [(label: String, predicted: String, count: Int)]
  /// Mean seconds per message, as measured by the caller.
  public var secondsPerMessage: Double

  /// Accuracy of the top-ranked skill.
  public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

  /// Accuracy of the rows at or above the threshold.
  public var accuracyAboveThreshold: Double {
    let above = total - belowThreshold
    return above == 0 ? 0 : Double(correctAboveThreshold) / Double(above)
  }

  /// Evaluates `predictions` (the classifier's ranking for each row, in order) against `rows`.
  public init(
    rows: [LabelledText], predictions: [SkillPrediction], threshold: Double,
    secondsPerMessage: Double
  ) {
    var correct = 0
    var below = 0
    var correctAbove = 0
    var predictedCount: [String: Int] = [:]
    var labelCount: [String: Int] = [:]
    var hits: [String: Int] = [:]
    var pairs: [String: [String: Int]] = [:]
    for (row, prediction) in zip(rows, predictions) {
      let top = prediction.top
      let predicted = top?.skill ?? ""
      let isBelow = (top?.probability ?? 0) < threshold
      labelCount[row.label, default: 0] += 1
      predictedCount[predicted, default: 0] += 1
      if isBelow { below += 1 }
      if predicted == row.label {
        correct += 1
        hits[row.label, default: 0] += 1
        if !isBelow { correctAbove += 1 }
      } else {
        pairs[row.label, default: [:]][predicted, default: 0] += 1
      }
    }
    total = min(rows.count, predictions.count)
    self.correct = correct
    belowThreshold = below
    correctAboveThreshold = correctAbove
    skills = Set(labelCount.keys).union(predictedCount.keys.filter { !$0.isEmpty }).sorted().map {
      skill in
      let hit = Double(hits[skill] ?? 0)
      return SkillScore(
        skill: skill, support: labelCount[skill] ?? 0,
        precision: predictedCount[skill].map { hit / Double($0) },
        recall: labelCount[skill].map { hit / Double($0) })
    }
    confusions = pairs.flatMap { label, row in row.map { (label, $0.key, $0.value) } }
      .sorted { ($0.2, $1.0, $1.1) > ($1.2, $0.0, $0.1) }
    self.secondsPerMessage = secondsPerMessage
  }

  /// The report `junction route eval` prints; its last line is `accuracy: 0.xxxx`.
  public func report(threshold: Double, confusedPairs: Int = 10) -> String {
    func fixed(_ value: Double?, _ digits: Int = 4) -> String {
      guard let value else { return "-" }
      return String(format: "%.\(digits)f", value)
    }
    let width = max(5, skills.map(\.skill.count).max() ?? 0)
    func pad(_ text: String) -> String {
      text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
    var lines: [String] = []
    lines.append("rows: \(total)")
    lines.append("top-skill accuracy: \(fixed(accuracy)) (\(correct)/\(total))")
    lines.append(
      "below threshold \(fixed(threshold, 2)): \(belowThreshold) rows; accuracy above it: "
        + "\(fixed(accuracyAboveThreshold)) (\(correctAboveThreshold)/\(total - belowThreshold))")
    lines.append("mean time per message: \(String(format: "%.1f", secondsPerMessage * 1e6)) µs")
    lines.append("")
    lines.append("\(pad("skill"))  precision  recall  support")
    for score in skills {
      lines.append(
        "\(pad(score.skill))  \(fixed(score.precision).padding(toLength: 9, withPad: " ", startingAt: 0))  "
          + "\(fixed(score.recall).padding(toLength: 6, withPad: " ", startingAt: 0))  \(score.support)"
      )
    }
    if !confusions.isEmpty {
      lines.append("")
      lines.append("most confused (expected -> predicted):")
      for pair in confusions.prefix(confusedPairs) {
        lines.append("  \(pair.count)  \(pair.label) -> \(pair.predicted)")
      }
    }
    lines.append("")
    lines.append("accuracy: \(fixed(accuracy))")
    return lines.joined(separator: "\n")
  }

  /// Equal counts, tables and confusions (the timing is not compared).
  public static func == (lhs: RoutingEvaluation, rhs: RoutingEvaluation) -> Bool {
    lhs.total == rhs.total && lhs.correct == rhs.correct && lhs.skills == rhs.skills
      && lhs.belowThreshold == rhs.belowThreshold
      && lhs.confusions.map { "\($0.label)>\($0.predicted)>\($0.count)" }
        == rhs.confusions.map { "\($0.label)>\($0.predicted)>\($0.count)" }
  }
}

extension Understanding {
  /// Evaluates the classifier on `rows`; `secondsPerMessage` is the caller's measurement.
  public func evaluate(
    _ rows: [LabelledText], predictions: [SkillPrediction], secondsPerMessage: Double
  )
    -> RoutingEvaluation
  {
    RoutingEvaluation(
      rows: rows, predictions: predictions, threshold: config.confidenceThreshold,
      secondsPerMessage: secondsPerMessage)
  }

  /// The classifier's ranking for `text` (what `route eval` compares with the label).
  public func prediction(_ text: String) -> SkillPrediction {
    skill(of: normalizer.normalize(text)).prediction
  }
}
