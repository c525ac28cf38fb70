import Foundation

extension ScoreStacker {
  /// A second stage with the given parameters.
  init(classCount: Int, matrix: [Float], bias: [Float]) {
    self.classCount = classCount
    self.matrix = matrix
    self.bias = bias
  }

  /// The second stage of `options`: one fit on all of `held`, or with ``ClassifierOptions/stackBags``
  /// above 1 the average of that many fits on resamples of it (linear, so the same run-time cost).
  static func bagged(
    held: [(scores: [Float], label: Int)], classCount: Int, scale: Float,
    options: ClassifierOptions
  ) -> ScoreStacker {
    func fit(_ rows: [(scores: [Float], label: Int)], iterations: Int? = nil) -> ScoreStacker {
      ScoreStacker(
        held: rows, classCount: classCount, scale: scale, penalty: options.stackPenalty,
        iterations: iterations ?? options.stackIterations, rate: options.stackRate,
        averageFrom: options.stackAverageFrom)
    }
    if options.stackValidationShare > 0 {
      return fit(held, iterations: validatedIterations(held, classCount, scale, options))
    }
    let bags = options.stackBags
    guard bags > 1, held.count >= bags * 2 else { return fit(held) }
    var random = SplitMix64(seed: options.trainer.seed &+ 101)
    var order = Array(held.indices)
    order.shuffle(using: &random)
    var average: ScoreStacker?
    for bag in 0..<bags {
      let rows: [(scores: [Float], label: Int)]
      switch options.stackBagMode {
      case 1:
        rows = order.enumerated().filter { $0.offset % bags == bag }.map { held[$0.element] }
      case 2:
        rows = order.enumerated().filter { $0.offset % bags != bag }.map { held[$0.element] }
      default:
        rows = held.indices.map { _ in held[Int.random(in: 0..<held.count, using: &random)] }
      }
      let stacker = fit(rows)
      if var sum = average {
        for index in sum.matrix.indices { sum.matrix[index] += stacker.matrix[index] }
        for index in sum.bias.indices { sum.bias[index] += stacker.bias[index] }
        average = sum
      } else {
        average = stacker
      }
    }
    guard var result = average else { return fit(held) }
    let inverse = 1 / Float(bags)
    for index in result.matrix.indices { result.matrix[index] *= inverse }
    for index in result.bias.indices { result.bias[index] *= inverse }
    return result
  }

  /// The step count whose parameters gave the least log-loss on a held-out share of `held`
  /// (fitted on the rest for up to twice the configured steps), scaled to all of `held` by
  /// ``ClassifierOptions/stackValidationScale``.
  static func validatedIterations(
    _ held: [(scores: [Float], label: Int)], _ classCount: Int, _ scale: Float,
    _ options: ClassifierOptions
  ) -> Int {
    var random = SplitMix64(seed: options.trainer.seed &+ 202)
    var order = Array(held.indices)
    order.shuffle(using: &random)
    let cut = Int(Float(held.count) * options.stackValidationShare)
    let validation = order[..<cut].map { held[$0] }
    let training = order[cut...].map { held[$0] }
    let n = classCount
    var best = (loss: Float.infinity, step: options.stackIterations)
    _ = ScoreStacker(
      held: training, classCount: n, scale: scale, penalty: options.stackPenalty,
      iterations: options.stackIterations * 2, rate: options.stackRate
    ) { step, parameters in
      guard step % 10 == 0 else { return }
      let stage = ScoreStacker(
        classCount: n, matrix: Array(parameters[0..<(n * n)]), bias: Array(parameters[(n * n)...]))
      var loss: Float = 0
      for (scores, label) in validation {
        let z = stage.logits(scores)
        let top = z.max() ?? 0
        loss += log(z.reduce(0) { $0 + exp($1 - top) }) + top - z[label]
      }
      if loss < best.loss { best = (loss, step) }
    }
    return max(Int(Float(best.step) * options.stackValidationScale), 1)
  }
}
