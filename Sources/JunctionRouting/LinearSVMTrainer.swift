import Dispatch
import Foundation

/// Trains one-vs-rest linear support vector machines (squared hinge loss, L2 regularised) by
/// dual coordinate descent with shrinking, the method of LIBLINEAR (Hsieh et al., ICML 2008).
/// Classes are independent, so they are trained on all cores at once.
public struct LinearSVMTrainer: Sendable {
  /// Regularisation: larger fits the examples more closely.
  public var cost: Float
  /// Stop when the projected gradient spread falls below this.
  public var tolerance: Float
  /// Most passes over the examples per class.
  public var maxPasses: Int
  /// The value of the constant bias feature.
  public var biasFeature: Float
  /// Positive examples count this much more (≥ 1), balancing a small class against the rest.
  public var positiveWeight: Float
  /// Seed of the example order.
  public var seed: UInt64
  /// Squared hinge loss (true) or plain hinge loss (false).
  public var squaredHinge = true

  /// Creates a trainer; the defaults were chosen by cross-validation on BANKING77.
  public init(
    cost: Float = 1, tolerance: Float = 0.1, maxPasses: Int = 100, biasFeature: Float = 1,
    positiveWeight: Float = 1, seed: UInt64 = 1
  ) {
    self.cost = cost
    self.tolerance = tolerance
    self.maxPasses = maxPasses
    self.biasFeature = biasFeature
    self.positiveWeight = positiveWeight
    self.seed = seed
  }

  /// Trains a model over `vectors` labelled `labels` (class indices below `classCount`).
  public func train(vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int)
    -> LinearModel
  {
    trainWithDuals(
      vectors: vectors, labels: labels, classCount: classCount, dimension: dimension
    ).model
  }

  /// Trains a model and returns with it every class's dual variables (`duals[class][example]`).
  /// With `start`, each class's coordinate descent begins at those duals (one per example of
  /// `vectors`, e.g. a machine trained on a superset of the examples, restricted to these)
  /// instead of at zero, and runs to the same tolerance: the optimum is the same, reached in
  /// fewer passes when the start is close to it.
  func trainWithDuals(
    vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int,
    start: [[Float]]? = nil
  ) -> (model: LinearModel, duals: [[Float]]) {
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, classCount, 8))
    let slots = UnsafeMutableBufferPointer<([Float], Float, [Float])>.allocate(
      capacity: classCount)
    slots.initialize(repeating: ([], 0, []))
    defer { slots.deallocate() }
    let rows = SparseRows(vectors, biasFeature: biasFeature)
    nonisolated(unsafe) let output = slots
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var k = worker
      while k < classCount {
        let initial = start.flatMap { k < $0.count && $0[k].count == vectors.count ? $0[k] : nil }
        output[k] = trainOne(
          positive: k, rows: rows, labels: labels, dimension: dimension, initial: initial)
        k += workers
      }
    }
    var weights = [Float](repeating: 0, count: dimension * classCount)
    var bias = [Float](repeating: 0, count: classCount)
    var duals: [[Float]] = []
    duals.reserveCapacity(classCount)
    for k in 0..<classCount {
      let (w, b, alpha) = slots[k]
      for feature in 0..<dimension { weights[feature * classCount + k] = w[feature] }
      bias[k] = b
      duals.append(alpha)
    }
    return (LinearModel(classCount: classCount, weights: weights, bias: bias), duals)
  }

  /// One binary machine: class `positive` against all others, from the duals `initial` (one
  /// per example, clamped to their bounds) or from zero. Returns w, the bias and the duals.
  func trainOne(
    positive: Int, rows: SparseRows, labels: [Int], dimension: Int, initial: [Float]? = nil
  ) -> ([Float], Float, [Float]) {
    let count = labels.count
    var w = [Float](repeating: 0, count: dimension)
    var alpha = [Float](repeating: 0, count: count)
    var active = Array(0..<count)
    let y: [Float] = labels.map { $0 == positive ? 1 : -1 }
    var wBias: Float = 0
    w.withUnsafeMutableBufferPointer { w in
      alpha.withUnsafeMutableBufferPointer { alpha in
        active.withUnsafeMutableBufferPointer { active in
          y.withUnsafeBufferPointer { y in
            wBias = descend(
              positive: positive, rows: rows, w: w, alpha: alpha, active: active, y: y,
              initial: initial)
          }
        }
      }
    }
    return (w, wBias * biasFeature, alpha)
  }

  /// The coordinate descent of ``trainOne(positive:rows:labels:dimension:initial:)`` over raw
  /// buffers (no reference counting or bounds checks in the inner loops); returns the bias
  /// weight. `w` and `alpha` start at zero.
  private func descend(
    positive: Int, rows: SparseRows, w: UnsafeMutableBufferPointer<Float>,
    alpha: UnsafeMutableBufferPointer<Float>, active: UnsafeMutableBufferPointer<Int>,
    y: UnsafeBufferPointer<Float>, initial: [Float]?
  ) -> Float {
    let count = alpha.count
    var wBias: Float = 0
    // The loss's diagonal term and the duals' upper bound depend only on the label's sign.
    let positiveBounds: (diagonal: Float, upper: Float) =
      squaredHinge ? (0.5 / (cost * positiveWeight), .infinity) : (0, cost * positiveWeight)
    let negativeBounds: (diagonal: Float, upper: Float) =
      squaredHinge ? (0.5 / cost, .infinity) : (0, cost)
    rows.withBuffers { offsets, indices, values, squaredNorms in
      if let initial {
        // w = Σ alpha_i y_i x_i: the primal point of the starting duals.
        for i in 0..<count where initial[i] > 0 {
          alpha[i] = min(initial[i], (y[i] > 0 ? positiveBounds : negativeBounds).upper)
          let step = alpha[i] * y[i]
          for j in offsets[i]..<offsets[i + 1] { w[Int(indices[j])] += step * values[j] }
          wBias += step * biasFeature
        }
      }
      var activeCount = count
      // Shrinking thresholds. From zero nothing can be shrunk in the first pass; from given
      // duals (near an optimum that met the tolerance) examples at a bound whose gradient
      // already lies beyond ±tolerance are set aside from the first pass on. The last pass
      // still checks every example, so the stopping rule is unchanged.
      var oldMax = initial == nil ? Float.infinity : tolerance
      var oldMin = initial == nil ? -Float.infinity : -tolerance
      var random = SplitMix64(seed: seed &+ UInt64(positive))
      for _ in 0..<maxPasses {
        for position in 0..<activeCount {
          let other = position + Int(random.next() % UInt64(activeCount - position))
          active.swapAt(position, other)
        }
        var newMax = -Float.infinity
        var newMin = Float.infinity
        var position = 0
        while position < activeCount {
          let i = active[position]
          let first = offsets[i]
          let end = offsets[i + 1]
          // Four partial sums: the additions overlap instead of waiting on each other.
          var (dot0, dot1, dot2, dot3): (Float, Float, Float, Float) = (0, 0, 0, 0)
          var j = first
          while j + 4 <= end {
            dot0 += w[Int(indices[j])] * values[j]
            dot1 += w[Int(indices[j + 1])] * values[j + 1]
            dot2 += w[Int(indices[j + 2])] * values[j + 2]
            dot3 += w[Int(indices[j + 3])] * values[j + 3]
            j += 4
          }
          while j < end {
            dot0 += w[Int(indices[j])] * values[j]
            j += 1
          }
          let dot = wBias * biasFeature + ((dot0 + dot1) + (dot2 + dot3))
          let (diagonal, upper) = y[i] > 0 ? positiveBounds : negativeBounds
          let gradient = y[i] * dot - 1 + alpha[i] * diagonal
          var projected = gradient
          if alpha[i] == 0 {
            if gradient > oldMax {
              activeCount -= 1
              active.swapAt(position, activeCount)
              continue
            }
            projected = min(gradient, 0)
          } else if alpha[i] >= upper {
            if gradient < oldMin {
              activeCount -= 1
              active.swapAt(position, activeCount)
              continue
            }
            projected = max(gradient, 0)
          }
          newMax = max(newMax, projected)
          newMin = min(newMin, projected)
          if abs(projected) > 1e-12 {
            let previous = alpha[i]
            alpha[i] = min(max(previous - gradient / (squaredNorms[i] + diagonal), 0), upper)
            let step = (alpha[i] - previous) * y[i]
            for j in first..<end { w[Int(indices[j])] += step * values[j] }
            wBias += step * biasFeature
          }
          position += 1
        }
        if newMax - newMin <= tolerance {
          if activeCount == count { break }
          activeCount = count
          oldMax = .infinity
          oldMin = -.infinity
          continue
        }
        oldMax = newMax <= 0 ? .infinity : newMax
        oldMin = newMin >= 0 ? -.infinity : newMin
      }
    }
    return wBias
  }
}

/// Training examples flattened into compressed sparse rows (example `i`'s features are
/// `offsets[i]..<offsets[i + 1]` of `indices` and `values`), read by every class's machine.
struct SparseRows: Sendable {
  let offsets: [Int]
  let indices: [Int32]
  let values: [Float]
  /// Each example's squared norm including the bias feature.
  let squaredNorms: [Float]

  init(_ vectors: [SparseVector], biasFeature: Float) {
    var offsets = [0]
    offsets.reserveCapacity(vectors.count + 1)
    var indices: [Int32] = []
    var values: [Float] = []
    indices.reserveCapacity(vectors.reduce(0) { $0 + $1.count })
    values.reserveCapacity(indices.capacity)
    for vector in vectors {
      indices += vector.indices
      values += vector.values
      offsets.append(indices.count)
    }
    self.offsets = offsets
    self.indices = indices
    self.values = values
    squaredNorms = vectors.map { $0.squaredNorm + biasFeature * biasFeature }
  }

  /// Calls `body` with the four arrays as buffers.
  func withBuffers<R>(
    _ body: (
      UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>,
      UnsafeBufferPointer<Float>
    ) -> R
  ) -> R {
    offsets.withUnsafeBufferPointer { offsets in
      indices.withUnsafeBufferPointer { indices in
        values.withUnsafeBufferPointer { values in
          squaredNorms.withUnsafeBufferPointer { body(offsets, indices, values, $0) }
        }
      }
    }
  }
}

/// A small seeded random generator (SplitMix64) for reproducible training and benchmarks.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  /// Creates a generator from `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
