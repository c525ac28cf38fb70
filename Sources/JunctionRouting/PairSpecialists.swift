import Foundation

/// Binary machines for skill pairs the classifier often confuses (an experiment): when the
/// final two most likely skills are such a pair and their probabilities lie closer than
/// ``margin``, the pair's machine, trained on just those two skills' examples, decides their
/// order. The pairs and the margin are chosen on held-out folds.
struct PairSpecialists: Sendable {
  /// One pair's machine: positive favours `first` (the smaller skill index).
  struct Machine: Sendable {
    var indices: [Int32]
    var weights: [Float]
    var bias: Float

    func score(_ vector: SparseVector) -> Float {
      var total = bias
      var left = 0
      var right = 0
      while left < indices.count, right < vector.indices.count {
        let a = indices[left]
        let b = vector.indices[right]
        if a == b {
          total += weights[left] * vector.values[right]
          left += 1
          right += 1
        } else if a < b {
          left += 1
        } else {
          right += 1
        }
      }
      return total
    }
  }

  let classCount: Int
  /// Machines by `first * classCount + second`, first < second.
  var machines: [Int: Machine]
  /// Largest probability gap at which a machine decides.
  var margin: Double

  /// Chooses pairs confused at least `minimum` times (both ways) in `probabilities` (the final
  /// probabilities of held-out example `held[i]`, whose fold is `fold[held[i]]`), trains their
  /// machines per fold to pick the margin on held-out decisions, then on all rows.
  init(
    vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int,
    trainer: LinearSVMTrainer, held: [Int], probabilities: [[Double]], fold: [Int], folds: Int,
    minimum: Int, fixedMargin: Double?
  ) {
    self.classCount = classCount
    var counts: [Int: Int] = [:]
    var topTwo: [(Int, Int, Double)] = []
    for (position, example) in held.enumerated() {
      let p = probabilities[position]
      let order = p.indices.sorted { (p[$0], $1) > (p[$1], $0) }
      guard order.count >= 2 else { continue }
      topTwo.append((order[0], order[1], p[order[0]] - p[order[1]]))
      if order[0] != labels[example] {
        let key = min(order[0], labels[example]) * classCount + max(order[0], labels[example])
        counts[key, default: 0] += 1
      }
    }
    let pairs = counts.filter { $0.value >= minimum }.keys.sorted()
    var machines: [Int: Machine] = [:]
    // Held-out decisions: example → whether the pair's machine put the label first.
    var decisions: [Int: Bool] = [:]
    for key in pairs {
      let first = key / classCount
      let second = key % classCount
      let members = vectors.indices.filter { labels[$0] == first || labels[$0] == second }
      if fixedMargin == nil {
        for current in 0..<folds {
          let train = members.filter { fold[$0] != current }
          let machine = Self.train(
            train, vectors: vectors, labels: labels, first: first, trainer: trainer,
            dimension: dimension)
          for example in members where fold[example] == current {
            decisions[example] = (machine.score(vectors[example]) > 0) == (labels[example] == first)
          }
        }
      }
      machines[key] = Self.train(
        members, vectors: vectors, labels: labels, first: first, trainer: trainer,
        dimension: dimension)
    }
    self.machines = machines
    if let fixedMargin {
      margin = fixedMargin
      return
    }
    var best = (gain: 0, margin: 0.0)
    for candidate in [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0] {
      var gain = 0
      for (position, example) in held.enumerated() {
        let (top, next, gap) = topTwo[position]
        let key = min(top, next) * classCount + max(top, next)
        guard gap < candidate, machines[key] != nil, let right = decisions[example] else {
          continue
        }
        let label = labels[example]
        if label == top, !right { gain -= 1 }
        if label == next, right { gain += 1 }
      }
      if gain > best.gain { best = (gain, candidate) }
    }
    margin = best.margin
  }

  static func train(
    _ members: [Int], vectors: [SparseVector], labels: [Int], first: Int,
    trainer: LinearSVMTrainer, dimension: Int
  ) -> Machine {
    var binary = trainer
    binary.negativeWeights = nil
    let (w, b, _) = binary.trainOne(
      positive: 0, rows: SparseRows(members.map { vectors[$0] }, biasFeature: trainer.biasFeature),
      labels: members.map { labels[$0] == first ? 0 : 1 }, dimension: dimension)
    var indices: [Int32] = []
    var weights: [Float] = []
    for (feature, value) in w.enumerated() where value != 0 {
      indices.append(Int32(feature))
      weights.append(value)
    }
    return Machine(indices: indices, weights: weights, bias: b)
  }

  /// Swaps the two most likely skills of `probabilities` when their pair's machine says so.
  func adjust(_ probabilities: inout [Double], vector: SparseVector) {
    guard margin > 0, probabilities.count >= 2 else { return }
    var top = 0
    var next = 1
    if probabilities[next] > probabilities[top] { swap(&top, &next) }
    for k in 2..<probabilities.count where probabilities[k] > probabilities[next] {
      if probabilities[k] > probabilities[top] {
        next = top
        top = k
      } else {
        next = k
      }
    }
    guard probabilities[top] - probabilities[next] < margin,
      let machine = machines[min(top, next) * classCount + max(top, next)]
    else { return }
    let favoursFirst = machine.score(vector) > 0
    let winner = favoursFirst ? min(top, next) : max(top, next)
    if winner == next { probabilities.swapAt(top, next) }
  }
}
