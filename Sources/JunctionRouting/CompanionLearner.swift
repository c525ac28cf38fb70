/// A learner trained beside the one-vs-rest machines whose scores are extra inputs of the
/// classifier's second stage (``ScoreStacker``), trained on the same held-out folds.
public enum CompanionLearner: Sendable {
  /// More one-vs-rest machines (e.g. at another cost).
  case svm(LinearSVMTrainer)
  /// A multinomial logistic regression over the same features.
  case softmax(SoftmaxRegressionTrainer)

  /// Trains a model over `vectors` labelled `labels`.
  func train(vectors: [SparseVector], labels: [Int], classCount: Int, dimension: Int)
    -> LinearModel
  {
    switch self {
    case .svm(let trainer):
      trainer.train(
        vectors: vectors, labels: labels, classCount: classCount, dimension: dimension)
    case .softmax(let trainer):
      trainer.train(
        vectors: vectors, labels: labels, classCount: classCount, dimension: dimension)
    }
  }
}
