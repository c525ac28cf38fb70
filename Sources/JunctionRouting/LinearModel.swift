import Foundation

/// Per-class linear scores over a ``FeatureSpace``: `score[k] = w[k] · x + b[k]`, with the
/// weights stored feature-major (the scores of one feature for every class side by side) so
/// that scoring a sparse message touches one short contiguous row per feature.
public struct LinearModel: Sendable {
  /// The number of classes.
  public let classCount: Int
  /// `weights[feature * classCount + class]`.
  var weights: [Float]
  /// One bias per class.
  var bias: [Float]

  /// Creates a model from feature-major weights and biases.
  init(classCount: Int, weights: [Float], bias: [Float]) {
    self.classCount = classCount
    self.weights = weights
    self.bias = bias
  }

  /// The raw score of each class for `vector`.
  public func scores(_ vector: SparseVector) -> [Float] {
    var result = bias
    let classes = classCount
    weights.withUnsafeBufferPointer { weights in
      result.withUnsafeMutableBufferPointer { result in
        for (feature, value) in zip(vector.indices, vector.values) {
          let row = Int(feature) * classes
          guard row + classes <= weights.count else { continue }
          for k in 0..<classes { result[k] += value * weights[row + k] }
        }
      }
    }
    return result
  }

  /// Softmax of `scores * scale`: probabilities that sum to 1.
  public static func softmax(_ scores: [Float], scale: Float) -> [Double] {
    guard let top = scores.max() else { return [] }
    var exps = scores.map { Double(exp(($0 - top) * scale)) }
    let total = exps.reduce(0, +)
    for index in exps.indices { exps[index] /= total }
    return exps
  }
}
