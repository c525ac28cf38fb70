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

  /// Fits on held-out `(scores, label)` pairs by full-batch Adam, from `scale` times the
  /// identity, with an L2 pull of `penalty` back towards it.
  init(
    held: [(scores: [Float], label: Int)], classCount: Int, scale: Float, penalty: Float,
    iterations: Int, rate: Float
  ) {
    let n = classCount
    let size = n * n + n
    self.classCount = n
    var parameters = [Float](repeating: 0, count: size)
    for k in 0..<n { parameters[k * n + k] = scale }
    let prior = parameters
    var m1 = [Float](repeating: 0, count: size)
    var m2 = [Float](repeating: 0, count: size)
    // Fixed chunks of examples summed in order: the result does not depend on the cores.
    let chunks = 8
    let flat = held.flatMap(\.scores)
    let labels = held.map(\.label)
    let count = held.count
    let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: size * chunks)
    defer { partials.deallocate() }
    nonisolated(unsafe) let sums = partials
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
              guard let p = p.baseAddress, let x = x.baseAddress, let z = z.baseAddress else {
                return
              }
              let first = count * chunk / chunks
              let end = count * (chunk + 1) / chunks
              for example in first..<end {
                let s = x + example * n
                Self.forward(matrix: p, bias: p + n * n, scores: s, into: z, count: n)
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
    bias = Array(parameters[(n * n)...])
  }

  /// `z = bias + Σ scores[from] · column(from)` over a column-major `count × count` matrix,
  /// 32 (then 8, 4, 1) outputs at a time held in registers across all columns (each output
  /// is summed in the same order as a plain loop, so the result is identical, only faster).
  @inline(__always)
  static func forward(
    matrix: UnsafePointer<Float>, bias: UnsafePointer<Float>, scores: UnsafePointer<Float>,
    into z: UnsafeMutablePointer<Float>, count n: Int
  ) {
    let raw = UnsafeRawPointer(matrix)
    let biasRaw = UnsafeRawPointer(bias)
    var start = 0
    while start + 32 <= n {
      var a0 = biasRaw.loadUnaligned(fromByteOffset: start * 4, as: SIMD8<Float>.self)
      var a1 = biasRaw.loadUnaligned(fromByteOffset: (start + 8) * 4, as: SIMD8<Float>.self)
      var a2 = biasRaw.loadUnaligned(fromByteOffset: (start + 16) * 4, as: SIMD8<Float>.self)
      var a3 = biasRaw.loadUnaligned(fromByteOffset: (start + 24) * 4, as: SIMD8<Float>.self)
      for from in 0..<n {
        let value = SIMD8<Float>(repeating: scores[from])
        let offset = (from * n + start) * 4
        a0 += value * raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        a1 += value * raw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
        a2 += value * raw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self)
        a3 += value * raw.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self)
      }
      let out = UnsafeMutableRawPointer(z)
      out.storeBytes(of: a0, toByteOffset: start * 4, as: SIMD8<Float>.self)
      out.storeBytes(of: a1, toByteOffset: (start + 8) * 4, as: SIMD8<Float>.self)
      out.storeBytes(of: a2, toByteOffset: (start + 16) * 4, as: SIMD8<Float>.self)
      out.storeBytes(of: a3, toByteOffset: (start + 24) * 4, as: SIMD8<Float>.self)
      start += 32
    }
    start = columns(SIMD8<Float>.self, from: start, raw, biasRaw, scores, z, n)
    start = columns(SIMD4<Float>.self, from: start, raw, biasRaw, scores, z, n)
    for to in start..<max(n, start) {
      var total = bias[to]
      for from in 0..<n { total += scores[from] * matrix[from * n + to] }
      z[to] = total
    }
  }

  /// ``forward(matrix:bias:scores:into:count:)`` for outputs `start…` one vector `V` at a
  /// time while a whole vector fits; returns where it stopped.
  @inline(__always)
  private static func columns<V: SIMD>(
    _: V.Type, from start: Int, _ matrix: UnsafeRawPointer, _ bias: UnsafeRawPointer,
    _ scores: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, _ n: Int
  ) -> Int where V.Scalar == Float {
    var start = start
    while start + V.scalarCount <= n {
      var sum = bias.loadUnaligned(fromByteOffset: start * 4, as: V.self)
      for from in 0..<n {
        sum +=
          V(repeating: scores[from])
          * matrix.loadUnaligned(fromByteOffset: (from * n + start) * 4, as: V.self)
      }
      UnsafeMutableRawPointer(z).storeBytes(of: sum, toByteOffset: start * 4, as: V.self)
      start += V.scalarCount
    }
    return start
  }

  /// The second stage's logits for the machines' `scores`.
  func logits(_ scores: [Float]) -> [Float] {
    let n = classCount
    guard scores.count == n, matrix.count == n * n, bias.count == n else { return scores }
    var result = [Float](repeating: 0, count: n)
    matrix.withUnsafeBufferPointer { m in
      bias.withUnsafeBufferPointer { b in
        scores.withUnsafeBufferPointer { s in
          result.withUnsafeMutableBufferPointer { z in
            guard let m = m.baseAddress, let b = b.baseAddress, let s = s.baseAddress,
              let z = z.baseAddress
            else { return }
            Self.forward(matrix: m, bias: b, scores: s, into: z, count: n)
          }
        }
      }
    }
    return result
  }
}
