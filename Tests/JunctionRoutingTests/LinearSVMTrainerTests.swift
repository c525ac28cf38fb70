import Testing

@testable import JunctionRouting

@Suite struct LinearSVMTrainerTests {
  /// The larger synthetic shop as feature vectors with class indices.
  static let problem: (vectors: [SparseVector], labels: [Int], classes: Int, dimension: Int) = {
    let normalizer = TextNormalizer()
    let skills = Array(Set(largerSyntheticExamples.map(\.label))).sorted()
    let documents = largerSyntheticExamples.map {
      SkillClassifier.scalars(normalizer.normalize($0.text).tokens)
    }
    let space = FeatureSpace(
      documents: documents, extractor: NGramFeatures(), wordWeight: 1, charWeight: 1,
      pairWeight: 1, minimumDocuments: 1)
    let labels = largerSyntheticExamples.map { skills.firstIndex(of: $0.label) ?? 0 }
    return (documents.map { space.vector($0) }, labels, skills.count, space.dimension)
  }()

  @Test func warmStartFromASupersetsDualsReachesTheColdOptimum() {
    // A tight tolerance: both runs must land on the same (unique) optimum, not merely near it.
    let trainer = LinearSVMTrainer(cost: 0.5, tolerance: 1e-3, maxPasses: 1000)
    let (vectors, labels, classes, dimension) = Self.problem
    let full = trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: classes, dimension: dimension)
    let kept = vectors.indices.filter { $0 % 3 != 0 }
    let subset = kept.map { vectors[$0] }
    let subsetLabels = kept.map { labels[$0] }
    let cold = trainer.trainWithDuals(
      vectors: subset, labels: subsetLabels, classCount: classes, dimension: dimension)
    let start = full.duals.map { alpha in kept.map { alpha[$0] } }
    let warm = trainer.trainWithDuals(
      vectors: subset, labels: subsetLabels, classCount: classes, dimension: dimension,
      start: start)
    #expect(full.duals.allSatisfy { $0.count == vectors.count })
    var largest: Float = 0
    for vector in vectors {
      let a = cold.model.scores(vector)
      let b = warm.model.scores(vector)
      largest = max(largest, zip(a, b).map { abs($0 - $1) }.max() ?? 0)
    }
    #expect(largest < 0.01, "largest score difference \(largest)")
    // The subset machine differs from the full one: the start was not already the answer.
    let differences = vectors.map { vector in
      zip(full.model.scores(vector), warm.model.scores(vector)).map { abs($0 - $1) }.max() ?? 0
    }
    #expect((differences.max() ?? 0) > 0.05)
  }

  @Test func trainingIsDeterministic() {
    let trainer = LinearSVMTrainer(cost: 0.5)
    let (vectors, labels, classes, dimension) = Self.problem
    let first = trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: classes, dimension: dimension)
    let second = trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: classes, dimension: dimension)
    #expect(first.duals == second.duals)
    #expect(first.model.weights == second.model.weights)
    #expect(first.model.bias == second.model.bias)
  }

  @Test func startOfTheWrongShapeFallsBackToZero() {
    let trainer = LinearSVMTrainer(cost: 0.5)
    let (vectors, labels, classes, dimension) = Self.problem
    let cold = trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: classes, dimension: dimension)
    let odd = trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: classes, dimension: dimension,
      start: [[Float]](repeating: [1, 2, 3], count: classes))
    #expect(odd.model.weights == cold.model.weights)
  }
}
