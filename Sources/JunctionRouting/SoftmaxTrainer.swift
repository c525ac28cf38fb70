import Foundation

/// Trains multinomial logistic regression by stochastic gradient descent (experimental).
public struct SoftmaxTrainer: Sendable {
  public var epochs = 10
  public var learningRate: Float = 0.5
  public var l2: Float = 1e-5
  public var seed: UInt64 = 1

  public init() {}

  public func train(vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int)
    -> LinearModel
  {
    let K = classCount
    var weights = [Float](repeating: 0, count: dimension * K)
    var bias = [Float](repeating: 0, count: K)
    var order = Array(vectors.indices)
    var random = SplitMix64(seed: seed)
    var scores = [Float](repeating: 0, count: K)
    var step = 0
    let total = Float(epochs * vectors.count)
    var scale: Float = 1
    weights.withUnsafeMutableBufferPointer { w in
      for _ in 0..<epochs {
        order.shuffle(using: &random)
        for i in order {
          let x = vectors[i]
          let lr = learningRate * (1 - Float(step) / total) + 1e-4
          step += 1
          for k in 0..<K { scores[k] = bias[k] }
          for (feature, value) in zip(x.indices, x.values) {
            let row = Int(feature) * K
            let v = value * scale
            for k in 0..<K { scores[k] += v * w[row + k] }
          }
          let top = scores.max() ?? 0
          var sum: Float = 0
          for k in 0..<K {
            scores[k] = exp(scores[k] - top)
            sum += scores[k]
          }
          for k in 0..<K { scores[k] /= sum }
          scores[labels[i]] -= 1
          scale *= (1 - lr * l2)
          for (feature, value) in zip(x.indices, x.values) {
            let row = Int(feature) * K
            let v = lr * value / scale
            for k in 0..<K { w[row + k] -= v * scores[k] }
          }
          for k in 0..<K { bias[k] -= lr * scores[k] }
        }
      }
      for index in w.indices { w[index] *= scale }
    }
    return LinearModel(classCount: K, weights: weights, bias: bias)
  }
}
