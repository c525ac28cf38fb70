import Foundation

/// Closed-form linear models trained in one pass over the examples, cheap second opinions for
/// the second stage (``ScoreStacker``) next to the support vector machines.
enum CompanionModel: Int, Sendable {
  /// Nearest centroid: cosine with each class's mean vector (Rocchio).
  case centroid = 1
  /// Multinomial naive Bayes over the weighted features (smoothing 0.1).
  case naiveBayes = 2

  /// Trains the model over `vectors` labelled `labels`.
  func train(vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int)
    -> LinearModel
  {
    var weights = [Float](repeating: 0, count: dimension * classCount)
    var totals = [Float](repeating: 0, count: classCount)
    var counts = [Float](repeating: 0, count: classCount)
    for (vector, label) in zip(vectors, labels) where label < classCount {
      counts[label] += 1
      for (feature, value) in zip(vector.indices, vector.values) {
        weights[Int(feature) * classCount + label] += value
        totals[label] += value
      }
    }
    var bias = [Float](repeating: 0, count: classCount)
    switch self {
    case .centroid:
      var norms = [Float](repeating: 0, count: classCount)
      for index in weights.indices { norms[index % classCount] += weights[index] * weights[index] }
      let inverse = norms.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }
      for index in weights.indices { weights[index] *= inverse[index % classCount] }
    case .naiveBayes:
      let alpha: Float = 0.1
      let denominators = totals.map { log(alpha * Float(dimension) + $0) }
      for index in weights.indices {
        weights[index] = log(alpha + weights[index]) - denominators[index % classCount]
      }
      let all = counts.reduce(0, +)
      bias = counts.map { log(($0 + 1) / (all + Float(classCount))) }
    }
    return LinearModel(classCount: classCount, weights: weights, bias: bias)
  }

  /// The model's scores for `vector`, centred on their mean over classes.
  static func centred(_ model: LinearModel, _ vector: SparseVector) -> [Float] {
    var scores = model.scores(vector)
    let mean = scores.reduce(0, +) / Float(max(scores.count, 1))
    for index in scores.indices { scores[index] -= mean }
    return scores
  }
}

/// Nearest neighbours over the word and word-pair features: for every class, the largest
/// similarity between a message and that class's examples.
struct NeighbourIndex: Sendable {
  var postings: [Int32: [(document: Int32, value: Float)]] = [:]
  var labels: [Int]
  let classCount: Int
  let groupOf: [UInt8]

  init(vectors: [SparseVector], labels: [Int], classCount: Int, groupOf: [UInt8]) {
    self.labels = labels
    self.classCount = classCount
    self.groupOf = groupOf
    for (document, vector) in vectors.enumerated() {
      for (feature, value) in zip(vector.indices, vector.values)
      where Int(feature) < groupOf.count && groupOf[Int(feature)] != 1 {
        postings[feature, default: []].append((Int32(document), value))
      }
    }
  }

  func scores(_ vector: SparseVector) -> [Float] {
    var similarity = [Float](repeating: 0, count: labels.count)
    for (feature, value) in zip(vector.indices, vector.values)
    where Int(feature) < groupOf.count && groupOf[Int(feature)] != 1 {
      guard let list = postings[feature] else { continue }
      for entry in list { similarity[Int(entry.document)] += value * entry.value }
    }
    var best = [Float](repeating: 0, count: classCount)
    for (document, value) in similarity.enumerated() where value > best[labels[document]] {
      best[labels[document]] = value
    }
    let mean = best.reduce(0, +) / Float(max(classCount, 1))
    return best.map { $0 - mean }
  }
}
