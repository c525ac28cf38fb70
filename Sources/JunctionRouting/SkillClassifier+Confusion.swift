import Foundation

extension SkillClassifier {
  /// Per machine, cost factors of negatives by label: `factor` for the `top` skills most
  /// confused with it (both ways) in the held-out scores, at least `minimum` times; 1 else.
  static func confusionWeights(
    _ held: [(scores: [Float], label: Int)], classCount: Int, top: Int, minimum: Int,
    factor: Float
  ) -> [[Float]] {
    var confused = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (scores, label) in held {
      guard let predicted = scores.indices.max(by: { scores[$0] < scores[$1] }),
        predicted != label
      else { continue }
      confused[label][predicted] += 1
      confused[predicted][label] += 1
    }
    return confused.map { row in
      var weights = [Float](repeating: 1, count: classCount)
      let ranked = row.indices.sorted { (row[$0], $1) > (row[$1], $0) }
      for other in ranked.prefix(top) where row[other] >= minimum { weights[other] = factor }
      return weights
    }
  }
}
