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
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, classCount, 8))
    let slots = UnsafeMutableBufferPointer<([Float], Float)>.allocate(capacity: classCount)
    slots.initialize(repeating: ([], 0))
    defer { slots.deallocate() }
    let squaredNorms = vectors.map { $0.squaredNorm + biasFeature * biasFeature }
    nonisolated(unsafe) let output = slots
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var k = worker
      while k < classCount {
        output[k] = trainOne(
          positive: k, vectors: vectors, labels: labels, squaredNorms: squaredNorms,
          dimension: dimension)
        k += workers
      }
    }
    var weights = [Float](repeating: 0, count: dimension * classCount)
    var bias = [Float](repeating: 0, count: classCount)
    for k in 0..<classCount {
      let (w, b) = slots[k]
      for feature in 0..<dimension { weights[feature * classCount + k] = w[feature] }
      bias[k] = b
    }
    return LinearModel(classCount: classCount, weights: weights, bias: bias)
  }

  /// One binary machine: class `positive` against all others.
  func trainOne(
    positive: Int, vectors: [SparseVector], labels: [Int], squaredNorms: [Float], dimension: Int
  ) -> ([Float], Float) {
    let count = vectors.count
    var w = [Float](repeating: 0, count: dimension)
    var wBias: Float = 0
    var alpha = [Float](repeating: 0, count: count)
    let y: [Float] = labels.map { $0 == positive ? 1 : -1 }
    let diagonal: [Float] = y.map {
      squaredHinge ? ($0 > 0 ? 0.5 / (cost * positiveWeight) : 0.5 / cost) : 0
    }
    let upper: [Float] = y.map {
      squaredHinge ? .infinity : ($0 > 0 ? cost * positiveWeight : cost)
    }
    var active = Array(0..<count)
    var activeCount = count
    var oldMax = Float.infinity
    var oldMin = -Float.infinity
    var random = SplitMix64(seed: seed &+ UInt64(positive))
    w.withUnsafeMutableBufferPointer { w in
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
          let x = vectors[i]
          var dot = wBias * biasFeature
          for (feature, value) in zip(x.indices, x.values) { dot += w[Int(feature)] * value }
          let gradient = y[i] * dot - 1 + alpha[i] * diagonal[i]
          var projected = gradient
          if alpha[i] == 0 {
            if gradient > oldMax {
              activeCount -= 1
              active.swapAt(position, activeCount)
              continue
            }
            projected = min(gradient, 0)
          } else if alpha[i] >= upper[i] {
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
            alpha[i] = min(max(previous - gradient / (squaredNorms[i] + diagonal[i]), 0), upper[i])
            let step = (alpha[i] - previous) * y[i]
            for (feature, value) in zip(x.indices, x.values) { w[Int(feature)] += step * value }
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
    return (w, wBias * biasFeature)
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
