import Dispatch
import Foundation

/// A second stage over the machines' scores: a multinomial logistic regression from every
/// skill's one-vs-rest score to the skill, trained on scores of held-out examples, so it
/// learns how the machines confuse skills and how far each one's margin can be trusted.
/// Regularised towards `scale` times the identity (the plain temperature-scaled softmax).
struct ScoreStacker: Sendable {
  /// The number of classes.
  let classCount: Int
  /// `matrix[from * classCount + to]` (column-major).
  var matrix: [Float]
  /// One bias per class.
  var bias: [Float]
  /// Extra inputs per class beyond the scores (`views` blocks of `classCount`), each coupled
  /// only to its own class: `diagonal[view * classCount + k]`.
  var diagonal: [Float]
  /// The number of extra input blocks.
  let views: Int
  /// Units of the hidden layer added to the linear map (0: none).
  let hidden: Int
  /// Its input weights (`hidden × classCount`), biases, and output weights.
  var hiddenLayer: [Float]

  /// Fits on held-out `(scores, label)` pairs by full-batch Adam, from `scale` times the
  /// identity, with an L2 pull of `penalty` back towards it.
  init(
    held: [(scores: [Float], label: Int)], extra: [[Float]] = [], classCount: Int, scale: Float,
    penalty: Float, iterations: Int, rate: Float, batch: Int = 0, hidden: Int = 0
  ) {
    let n = classCount
    let views = extra.count == held.count ? (extra.first?.count ?? 0) / max(n, 1) : 0
    let hiddenOffset = n * n + n + views * n
    let size = hiddenOffset + hidden * (2 * n + 1)
    self.classCount = n
    self.views = views
    self.hidden = hidden
    // Mini-batches walk through the examples in a seeded random order.
    var order = Array(held.indices)
    if batch > 0 {
      var random = SplitMix64(seed: 5)
      order.shuffle(using: &random)
    }
    let extraFlat = views > 0 ? order.flatMap { extra[$0] } : [Float(0)]
    var parameters = [Float](repeating: 0, count: size)
    for k in 0..<n { parameters[k * n + k] = scale }
    var random = SplitMix64(seed: 9)
    for index in 0..<(hidden * n) {
      let uniform = Float(Double(random.next() >> 11) / Double(1 << 53)) * 2 - 1
      parameters[hiddenOffset + index] = uniform * scale / Float(n).squareRoot()
    }
    let prior = parameters
    var m1 = [Float](repeating: 0, count: size)
    var m2 = [Float](repeating: 0, count: size)
    // Fixed chunks of examples summed in order: the result does not depend on the cores.
    let chunks = 8
    let flat = order.flatMap { held[$0].scores }
    let labels = order.map { held[$0].label }
    let count = held.count
    let batchSize = batch > 0 ? min(batch, count) : count
    let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: size * chunks)
    defer { partials.deallocate() }
    nonisolated(unsafe) let sums = partials
    for step in 1...max(iterations, 1) {
      sums.initialize(repeating: 0)
      let current = parameters
      let batchStart = (step - 1) * batchSize % max(count, 1)
      let batchCount = min(batchSize, count - batchStart)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        guard let base = sums.baseAddress else { return }
        let gradient = base + chunk * size
        var logits = [Float](repeating: 0, count: n)
        var activations = [Float](repeating: 0, count: max(hidden, 1))
        current.withUnsafeBufferPointer { p in
          flat.withUnsafeBufferPointer { x in
            extraFlat.withUnsafeBufferPointer { e in
              logits.withUnsafeMutableBufferPointer { z in
                activations.withUnsafeMutableBufferPointer { a in
                  guard let p = p.baseAddress, let x = x.baseAddress, let e = e.baseAddress,
                    let a = a.baseAddress
                  else { return }
                  let w1 = p + hiddenOffset
                  let c1 = w1 + hidden * n
                  let w2 = c1 + hidden
                  let first = batchStart + batchCount * chunk / chunks
                  let end = batchStart + batchCount * (chunk + 1) / chunks
                  for example in first..<end {
                    let s = x + example * n
                    // Column-major: z = b + Σ s[from] · column(from), a vectorisable update.
                    for to in 0..<n { z[to] = p[n * n + to] }
                    for from in 0..<n {
                      let column = p + from * n
                      let value = s[from]
                      for to in 0..<n { z[to] += value * column[to] }
                    }
                    let extraRow = e + example * views * n
                    for view in 0..<views {
                      let weights = p + n * n + n + view * n
                      let inputs = extraRow + view * n
                      for to in 0..<n { z[to] += weights[to] * inputs[to] }
                    }
                    for h in 0..<hidden {
                      let row = w1 + h * n
                      var sum = c1[h]
                      for from in 0..<n { sum += row[from] * s[from] }
                      a[h] = max(sum, 0)
                      guard sum > 0 else { continue }
                      let out = w2 + h * n
                      for to in 0..<n { z[to] += sum * out[to] }
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
                    z[labels[example]] -= 1
                    // The gradient, row-major (`to * n + from`): only skills with a noticeable
                    // error add a row, a handful per example since the softmax is peaked.
                    for to in 0..<n where abs(z[to]) > 1e-4 {
                      let row = gradient + to * n
                      let error = z[to]
                      for from in 0..<n { row[from] += error * s[from] }
                      gradient[n * n + to] += error
                      for view in 0..<views {
                        gradient[n * n + n + view * n + to] += error * extraRow[view * n + to]
                      }
                    }
                    let g1 = gradient + hiddenOffset
                    for h in 0..<hidden where a[h] > 0 {
                      let out = w2 + h * n
                      let g2 = g1 + hidden * n + hidden + h * n
                      var back: Float = 0
                      for to in 0..<n where abs(z[to]) > 1e-4 {
                        g2[to] += z[to] * a[h]
                        back += z[to] * out[to]
                      }
                      let row = g1 + h * n
                      for from in 0..<n { row[from] += back * s[from] }
                      g1[hidden * n + h] += back
                    }
                  }
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
      let scaleDown = 1 / Float(max(batchCount, 1))
      for index in 0..<size {
        var g: Float = 0
        // Parameters are column-major, the summed gradient row-major.
        let source = index < n * n ? (index % n) * n + index / n : index
        for chunk in 0..<chunks { g += sums[chunk * size + source] }
        g *= scaleDown
        if index < n * n { g += penalty * (parameters[index] - prior[index]) }
        m1[index] = beta1 * m1[index] + (1 - beta1) * g
        m2[index] = beta2 * m2[index] + (1 - beta2) * g * g
        parameters[index] -= rate * (m1[index] / c1) / ((m2[index] / c2).squareRoot() + 1e-8)
      }
    }
    matrix = Array(parameters[0..<(n * n)])
    bias = Array(parameters[(n * n)..<(n * n + n)])
    diagonal = Array(parameters[(n * n + n)..<hiddenOffset])
    hiddenLayer = Array(parameters[hiddenOffset...])
  }

  /// The second stage's logits for the machines' `scores` and the extra inputs.
  func logits(_ scores: [Float], extra: [Float] = []) -> [Float] {
    let n = classCount
    var result = bias
    guard scores.count == n else { return scores }
    if extra.count == views * n {
      for index in 0..<(views * n) { result[index % n] += diagonal[index] * extra[index] }
    }
    for h in 0..<hidden {
      var sum = hiddenLayer[hidden * n + h]
      for from in 0..<n { sum += hiddenLayer[h * n + from] * scores[from] }
      guard sum > 0 else { continue }
      let out = hidden * n + hidden + h * n
      for to in 0..<n { result[to] += sum * hiddenLayer[out + to] }
    }
    matrix.withUnsafeBufferPointer { m in
      result.withUnsafeMutableBufferPointer { z in
        for from in 0..<n {
          let value = scores[from]
          for to in 0..<n { z[to] += value * m[from * n + to] }
        }
      }
    }
    return result
  }
}
