import Dispatch
import Foundation

/// A second stage over the machines' scores: a multinomial logistic regression from every
/// skill's one-vs-rest score to the skill, trained on scores of held-out examples, so it
/// learns how the machines confuse skills and how far each one's margin can be trusted.
/// Regularised towards `scale` times the identity (the plain temperature-scaled softmax).
struct ScoreStacker: Sendable {
  /// The number of classes.
  let classCount: Int
  /// The number of inputs: the machines' scores, then any companions' scores.
  let inputCount: Int
  /// `matrix[from * classCount + to]` (column-major, `inputCount` columns).
  var matrix: [Float]
  /// One bias per class.
  var bias: [Float]
  /// Scores below this are raised to it before the stage reads them (-∞: none).
  let floor: Float

  /// Fits on held-out `(scores, label)` pairs by full-batch Adam, from `scale` times the
  /// identity, with an L2 pull of `penalty` back towards it.
  init(
    held: [(scores: [Float], label: Int)], classCount: Int, scale: Float, penalty: Float,
    iterations: Int, rate: Float, floor: Float = -.infinity, smoothing: Float = 0,
    maskTop: Int = 0, maskCount: Int = 1
  ) {
    self.floor = floor
    let n = classCount
    let m = held.first?.scores.count ?? n
    let size = m * n + n
    self.classCount = n
    self.inputCount = m
    var parameters = [Float](repeating: 0, count: size)
    for k in 0..<n { parameters[k * n + k] = scale }
    let prior = parameters
    var m1 = [Float](repeating: 0, count: size)
    var m2 = [Float](repeating: 0, count: size)
    // Fixed chunks of examples summed in order: the result does not depend on the cores.
    let chunks = 8
    let flat = held.flatMap { Self.clipped($0.scores, floor: floor) }
    let labels = held.map(\.label)
    let count = held.count
    let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: size * chunks)
    defer { partials.deallocate() }
    nonisolated(unsafe) let sums = partials
    // Label smoothing: the target is 1 − ε on the label and ε / n on every class. The uniform
    // part's gradient does not change from step to step: Σ (ε / n) · s over the examples.
    var uniform = [Float](repeating: 0, count: m)
    if smoothing > 0 {
      for example in 0..<count {
        for from in 0..<m { uniform[from] += flat[example * m + from] }
      }
      for from in 0..<m { uniform[from] *= smoothing / Float(n) }
    }
    let hit = 1 - smoothing
    // Only pairs of skills that share the top `maskTop` of at least `maskCount` examples
    // (and the biases) are learned; 0: every pair.
    var mask = [Bool](repeating: maskTop <= 0, count: size)
    if maskTop > 0 {
      var together = [Int](repeating: 0, count: n * n)
      for example in 0..<count {
        let scores = flat[(example * m)..<(example * m + n)]
        let top = Array(scores.indices.sorted { scores[$0] > scores[$1] }.prefix(maskTop))
        for a in top { for b in top { together[(a - example * m) * n + (b - example * m)] += 1 } }
      }
      for from in 0..<n {
        for to in 0..<n where together[from * n + to] >= maskCount || from == to {
          mask[from * n + to] = true
        }
      }
      for index in (m * n)..<size { mask[index] = true }
    }
    for step in 1...max(iterations, 1) {
      sums.initialize(repeating: 0)
      let current = parameters
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        guard let base = sums.baseAddress else { return }
        let gradient = base + chunk * size
        var logits = [Float](repeating: 0, count: n)
        current.withUnsafeBufferPointer { p in
          flat.withUnsafeBufferPointer { x in
            logits.withUnsafeMutableBufferPointer { z in
              guard let p = p.baseAddress, let x = x.baseAddress else { return }
              let first = count * chunk / chunks
              let end = count * (chunk + 1) / chunks
              for example in first..<end {
                let s = x + example * m
                // Column-major: z = b + Σ s[from] · column(from), a vectorisable update.
                for to in 0..<n { z[to] = p[m * n + to] }
                for from in 0..<m {
                  let column = p + from * n
                  let value = s[from]
                  for to in 0..<n { z[to] += value * column[to] }
                }
                var top = -Float.infinity
                for to in 0..<n { top = max(top, z[to]) }
                var total: Float = 0
                for to in 0..<n {
                  z[to] = exp(z[to] - top)
                  total += z[to]
                }
                let inverse = 1 / total
                for to in 0..<n { z[to] *= inverse }
                z[labels[example]] -= hit
                // The gradient, row-major (`to * m + from`): only skills with a noticeable
                // error add a row, a handful per example since the softmax is peaked.
                for to in 0..<n where abs(z[to]) > 1e-4 {
                  let row = gradient + to * m
                  let error = z[to]
                  for from in 0..<m { row[from] += error * s[from] }
                  gradient[m * n + to] += error
                }
              }
            }
          }
        }
      }
      let beta1: Float = 0.9
      let beta2: Float = 0.999
      let c1 = 1 - pow(beta1, Float(step))
      let c2 = 1 - pow(beta2, Float(step))
      let scaleDown = 1 / Float(max(count, 1))
      for index in 0..<size where mask[index] {
        var g: Float = 0
        // Parameters are column-major, the summed gradient row-major.
        let source = index < m * n ? (index % n) * m + index / n : index
        for chunk in 0..<chunks { g += sums[chunk * size + source] }
        if smoothing > 0 {
          g -= index < m * n ? uniform[index / n] : smoothing / Float(n) * Float(count)
        }
        g *= scaleDown
        if index < m * n { g += penalty * (parameters[index] - prior[index]) }
        m1[index] = beta1 * m1[index] + (1 - beta1) * g
        m2[index] = beta2 * m2[index] + (1 - beta2) * g * g
        parameters[index] -= rate * (m1[index] / c1) / ((m2[index] / c2).squareRoot() + 1e-8)
      }
    }
    matrix = Array(parameters[0..<(m * n)])
    bias = Array(parameters[(m * n)...])
  }

  /// `scores` raised to `floor`, less `floor` (so most of them are 0).
  static func clipped(_ scores: [Float], floor: Float) -> [Float] {
    guard floor > -.infinity else { return scores }
    return scores.map { max($0, floor) - floor }
  }

  /// The second stage's logits for the machines' `scores`.
  func logits(_ raw: [Float]) -> [Float] {
    let n = classCount
    let scores = Self.clipped(raw, floor: floor)
    var result = bias
    guard scores.count == inputCount else { return Array(scores.prefix(n)) }
    matrix.withUnsafeBufferPointer { m in
      result.withUnsafeMutableBufferPointer { z in
        for from in 0..<inputCount {
          let value = scores[from]
          for to in 0..<n { z[to] += value * m[from * n + to] }
        }
      }
    }
    return result
  }
}
