import Foundation

/// Trains a multinomial logistic regression (one softmax over every class) over sparse vectors
/// by stochastic gradient descent, stopped after a fixed number of passes (early stopping is
/// its regulariser, with an optional L2 decay). Unlike one-vs-rest machines, the classes
/// compete while it learns, which makes it a second opinion for the classifier's second stage.
public struct SoftmaxRegressionTrainer: Sendable {
  /// Passes over the examples.
  public var epochs: Int
  /// Step size of the first pass; pass `e` uses `rate / (1 + decay · e)`.
  public var rate: Float
  /// How fast the step size falls from pass to pass.
  public var decay: Float
  /// L2 weight decay per example step (0: none).
  public var l2: Float
  /// Seed of the example order.
  public var seed: UInt64

  /// Creates a trainer.
  public init(
    epochs: Int = 8, rate: Float = 0.5, decay: Float = 0.5, l2: Float = 0, seed: UInt64 = 3
  ) {
    self.epochs = epochs
    self.rate = rate
    self.decay = decay
    self.l2 = l2
    self.seed = seed
  }

  /// Trains a model over `vectors` labelled `labels` (class indices below `classCount`).
  public func train(vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int)
    -> LinearModel
  {
    let n = classCount
    var weights = [Float](repeating: 0, count: dimension * n)
    var bias = [Float](repeating: 0, count: n)
    var order = Array(vectors.indices)
    var random = SplitMix64(seed: seed)
    // Weight decay by a shared factor: stored weights times `factor` are the real ones.
    var factor: Float = 1
    var z = [Float](repeating: 0, count: n)
    weights.withUnsafeMutableBufferPointer { w in
      bias.withUnsafeMutableBufferPointer { b in
        z.withUnsafeMutableBufferPointer { z in
          for epoch in 0..<max(epochs, 0) {
            order.shuffle(using: &random)
            let step = rate / (1 + decay * Float(epoch))
            for i in order {
              let x = vectors[i]
              for k in 0..<n { z[k] = 0 }
              for (feature, value) in zip(x.indices, x.values) {
                let row = Int(feature) * n
                let scaled = value * factor
                for k in 0..<n { z[k] += scaled * w[row + k] }
              }
              var top = -Float.infinity
              for k in 0..<n {
                z[k] += b[k]
                top = max(top, z[k])
              }
              var total: Float = 0
              for k in 0..<n {
                z[k] = exp(z[k] - top)
                total += z[k]
              }
              let inverse = 1 / total
              for k in 0..<n { z[k] *= inverse }
              z[labels[i]] -= 1
              if l2 > 0 {
                factor *= 1 - step * l2
                if factor < 1e-3 {
                  for index in 0..<w.count { w[index] *= factor }
                  factor = 1
                }
              }
              for k in 0..<n { b[k] -= step * z[k] }
              for (feature, value) in zip(x.indices, x.values) {
                let row = Int(feature) * n
                let scaled = step * value / factor
                for k in 0..<n { w[row + k] -= scaled * z[k] }
              }
            }
          }
          // The softmax ignores a shift shared by all classes, so the weights drift by one per
          // feature; centring every row gives logits that sum to zero for any message.
          let inverse = 1 / Float(max(n, 1))
          for row in stride(from: 0, to: w.count, by: max(n, 1)) {
            var mean: Float = 0
            for k in 0..<n { mean += w[row + k] }
            mean *= inverse
            for k in 0..<n { w[row + k] = (w[row + k] - mean) * factor }
          }
          var mean: Float = 0
          for k in 0..<n { mean += b[k] }
          mean *= inverse
          for k in 0..<n { b[k] -= mean }
        }
      }
    }
    return LinearModel(classCount: n, weights: weights, bias: bias)
  }
}
