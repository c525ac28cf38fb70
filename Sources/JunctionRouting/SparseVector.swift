/// A sparse feature vector: ascending feature indices and their values.
public struct SparseVector: Sendable, Equatable {
  /// Feature indices, ascending, without repeats.
  public var indices: [Int32]
  /// The value of each feature in ``indices``.
  public var values: [Float]

  /// Creates a vector from matching index and value arrays.
  public init(indices: [Int32] = [], values: [Float] = []) {
    self.indices = indices
    self.values = values
  }

  /// The number of non-zero features.
  public var count: Int { indices.count }

  /// The squared Euclidean norm.
  public var squaredNorm: Float { values.reduce(0) { $0 + $1 * $1 } }

  /// The dot product with another sparse vector (both sorted by index).
  public func dot(_ other: SparseVector) -> Float {
    var sum: Float = 0
    var left = 0
    var right = 0
    while left < indices.count, right < other.indices.count {
      let a = indices[left]
      let b = other.indices[right]
      if a == b {
        sum += values[left] * other.values[right]
        left += 1
        right += 1
      } else if a < b {
        left += 1
      } else {
        right += 1
      }
    }
    return sum
  }
}
