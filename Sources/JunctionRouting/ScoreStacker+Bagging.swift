extension ScoreStacker {
  /// The second stage of `options`: one fit on all of `held`, or with ``ClassifierOptions/stackBags``
  /// above 1 the average of that many fits on resamples of it (linear, so the same run-time cost).
  static func bagged(
    held: [(scores: [Float], label: Int)], classCount: Int, scale: Float,
    options: ClassifierOptions
  ) -> ScoreStacker {
    func fit(_ rows: [(scores: [Float], label: Int)]) -> ScoreStacker {
      ScoreStacker(
        held: rows, classCount: classCount, scale: scale, penalty: options.stackPenalty,
        iterations: options.stackIterations, rate: options.stackRate,
        averageFrom: options.stackAverageFrom)
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
}
