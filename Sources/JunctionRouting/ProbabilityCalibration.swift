import Foundation

/// Fits the softmax sharpness that turns SVM scores into honest probabilities: the classifier
/// is trained on all folds but one, scores the held-out fold, and the scale minimising the
/// held-out negative log-likelihood is kept (temperature scaling, Guo et al. 2017). Scores of
/// examples the model was trained on are too confident to calibrate with.
enum ProbabilityCalibration {
  /// Scores of every example by a model trained on the other folds. With `duals` (a machine's
  /// dual variables on all of `vectors`, `duals[class][example]`), each fold's machine starts
  /// from them restricted to its examples (a warm start: same optimum, fewer passes).
  static func heldOutScores(
    vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int,
    trainer: LinearSVMTrainer, folds: Int, seed: UInt64, duals: [[Float]]? = nil
  ) -> [(scores: [Float], label: Int)] {
    var order = Array(vectors.indices)
    var random = SplitMix64(seed: seed)
    order.shuffle(using: &random)
    var fold = [Int](repeating: 0, count: vectors.count)
    for (position, index) in order.enumerated() { fold[index] = position % folds }
    var held: [(scores: [Float], label: Int)] = []
    for current in 0..<folds {
      let train = vectors.indices.filter { fold[$0] != current }
      let start = duals.map { duals in duals.map { alpha in train.map { alpha[$0] } } }
      let model = trainer.trainWithDuals(
        vectors: train.map { vectors[$0] }, labels: train.map { labels[$0] },
        classCount: classCount, dimension: dimension, start: start
      ).model
      for index in vectors.indices where fold[index] == current {
        held.append((model.scores(vectors[index]), labels[index]))
      }
    }
    return held
  }

  /// The scale minimising the negative log-likelihood of `held`.
  static func fitScale(_ held: [(scores: [Float], label: Int)]) -> Float {
    func loss(_ logScale: Double) -> Double {
      let scale = Float(exp(logScale))
      var total = 0.0
      for (scores, label) in held {
        let probabilities = LinearModel.softmax(scores, scale: scale)
        total -= log(max(probabilities[label], 1e-12))
      }
      return total
    }
    // Golden-section search over log(scale); the loss is unimodal in practice.
    var low = log(0.5)
    var high = log(50.0)
    let ratio = (5.0.squareRoot() - 1) / 2
    var a = high - ratio * (high - low)
    var b = low + ratio * (high - low)
    var lossA = loss(a)
    var lossB = loss(b)
    for _ in 0..<24 {
      if lossA < lossB {
        high = b
        b = a
        lossB = lossA
        a = high - ratio * (high - low)
        lossA = loss(a)
      } else {
        low = a
        a = b
        lossA = lossB
        b = low + ratio * (high - low)
        lossB = loss(b)
      }
    }
    return Float(exp((low + high) / 2))
  }
}
