import Foundation

/// The feature view of a second ensemble member (an experiment).
public struct PartnerOptions: Sendable {
  /// Its n-gram extractor.
  public var features: NGramFeatures
  /// Its word-group weight.
  public var wordWeight: Float = 1
  /// Its character-group weight.
  public var charWeight: Float = 1
  /// Its pair-group weight.
  public var pairWeight: Float = 1
  /// The weight of its log-probabilities in the average (the first member has 1 − share).
  public var share: Double = 0.5
  /// Its word clusters (off).
  public var clusters = WordClusterOptions()
  /// Its SVM cost (nil: the first member's).
  public var cost: Float?
  /// Misspelled copies of every example in its training set.
  public var typoCopies = 0

  /// Characters 3–6 across word boundaries, word unigrams and bigrams, 5-letter prefixes,
  /// no distant pairs.
  public init() {
    features = NGramFeatures(minCharGram: 3, maxCharGram: 6)
    features.crossWordChars = true
    features.prefixLength = 5
    features.pairWindow = 1
  }
}
