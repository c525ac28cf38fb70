import Foundation

/// Fits the softmax sharpness that turns SVM scores into honest probabilities: the classifier
/// is trained on all folds but one, scores the held-out fold, and the scale minimising the
/// held-out negative log-likelihood is kept (temperature scaling, Guo et al. 2017). Scores of
/// examples the model was trained on are too confident to calibrate with.
enum ProbabilityCalibration {
  /// Scores of every example by a model trained on the other folds, followed by the scores of
  /// each companion trained on the same folds.
  static func heldOutScores(
    vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int,
    trainer: LinearSVMTrainer, folds: Int, seed: UInt64, companions: [CompanionLearner] = [],
    onModel: (LinearModel) -> Void = { _ in }
  ) -> [(scores: [Float], label: Int)] {
    var order = Array(vectors.indices)
    var random = SplitMix64(seed: seed)
    order.shuffle(using: &random)
    var fold = [Int](repeating: 0, count: vectors.count)
    for (position, index) in order.enumerated() { fold[index] = position % folds }
    var held: [(scores: [Float], label: Int)] = []
    for current in 0..<folds {
      let train = vectors.indices.filter { fold[$0] != current }
      let model = trainer.train(
        vectors: train.map { vectors[$0] }, labels: train.map { labels[$0] },
        classCount: classCount, dimension: dimension)
      onModel(model)
      let others = companions.map {
        $0.train(
          vectors: train.map { vectors[$0] }, labels: train.map { labels[$0] },
          classCount: classCount, dimension: dimension)
      }
      for index in vectors.indices where fold[index] == current {
        var scores = model.scores(vectors[index])
        for other in others { scores += other.scores(vectors[index]) }
        held.append((scores, labels[index]))
      }
    }
    return held
  }

  /// Folds the companions' blocks of `held` (after the first `classCount` scores) into the
  /// first block, each times a weight (`fixed` if positive, otherwise the one of a grid with
  /// the least held-out negative log-likelihood at its best scale); returns the weights.
  static func mixWeights(
    _ held: inout [(scores: [Float], label: Int)], classCount n: Int, fixed: Float
  ) -> [Float] {
    let blocks = (held.first?.scores.count ?? n) / max(n, 1) - 1
    var weights: [Float] = []
    var mixed = held.map { (Array($0.scores.prefix(n)), $0.label) }
    for block in 0..<max(blocks, 0) {
      func combined(_ weight: Float) -> [(scores: [Float], label: Int)] {
        zip(mixed, held).map { current, entry in
          var scores = current.0
          for k in 0..<n { scores[k] += weight * entry.scores[(block + 1) * n + k] }
          return (scores, current.1)
        }
      }
      var best = fixed
      if fixed < 0 {
        var bestLoss = Double.infinity
        for weight: Float in [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4] {
          let candidate = combined(weight)
          let value = loss(candidate, scale: fitScale(candidate))
          if value < bestLoss {
            bestLoss = value
            best = weight
          }
        }
      }
      mixed = combined(best)
      weights.append(best)
    }
    held = mixed
    return weights
  }

  /// The negative log-likelihood of `held` under the softmax at `scale`.
  static func loss(_ held: [(scores: [Float], label: Int)], scale: Float) -> Double {
    var total = 0.0
    for (scores, label) in held {
      let probabilities = LinearModel.softmax(scores, scale: scale)
      total -= log(max(probabilities[label], 1e-12))
    }
    return total
  }

  /// The scale minimising the negative log-likelihood of `held`.
  static func fitScale(_ held: [(scores: [Float], label: Int)]) -> Float {
    func loss(_ logScale: Double) -> Double {
      Self.loss(held, scale: Float(exp(logScale)))
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
