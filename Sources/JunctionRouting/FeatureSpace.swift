import Foundation

/// The vocabulary of a trained classifier: which hashed n-grams it knows, their inverse
/// document frequencies, and how a message becomes a weighted, L2-normalised vector.
///
/// Each group (words, characters) gets sublinear term frequency (`1 + ln tf`) times smoothed
/// idf, is L2-normalised on its own and scaled by its group weight, so a long message and a
/// short one compare fairly and neither group drowns the other.
public struct FeatureSpace: Sendable {
  /// The n-gram extractor.
  public var extractor: NGramFeatures
  /// Weight of the word group in the combined vector.
  public var wordWeight: Float
  /// Weight of the character group in the combined vector.
  public var charWeight: Float
  /// Weight of the word-pair group in the combined vector.
  public var pairWeight: Float
  /// Feature index of each known key.
  var index: [UInt64: Int32]
  /// Inverse document frequency by feature index.
  var idf: [Float]

  /// The number of features.
  public var dimension: Int { idf.count }

  /// Learns the vocabulary of `documents` (each a list of words); keys seen in fewer than
  /// `minimumDocuments` documents are left out.
  public init(
    documents: [[[Unicode.Scalar]]], extractor: NGramFeatures, wordWeight: Float = 1,
    charWeight: Float = 1, pairWeight: Float = 1, minimumDocuments: Int = 1
  ) {
    self.pairWeight = pairWeight
    self.extractor = extractor
    self.wordWeight = wordWeight
    self.charWeight = charWeight
    var documentFrequency: [UInt64: Int32] = [:]
    var keys: [UInt64] = []
    for words in documents {
      keys.removeAll(keepingCapacity: true)
      extractor.wordKeys(words, into: &keys)
      extractor.charKeys(words, into: &keys)
      extractor.pairKeys(words, into: &keys)
      for key in Set(keys) { documentFrequency[key, default: 0] += 1 }
    }
    var index: [UInt64: Int32] = [:]
    var idf: [Float] = []
    let total = Float(documents.count)
    for (key, frequency) in documentFrequency.sorted(by: { $0.key < $1.key })
    where frequency >= Int32(minimumDocuments) {
      index[key] = Int32(idf.count)
      idf.append(log((1 + total) / (1 + Float(frequency))) + 1)
    }
    self.index = index
    self.idf = idf
  }

  /// The weighted vector of a message's words.
  public func vector(_ words: [[Unicode.Scalar]]) -> SparseVector {
    var keys: [UInt64] = []
    keys.reserveCapacity(words.count * 24)
    extractor.wordKeys(words, into: &keys)
    var wordPart = group(keys, weight: wordWeight)
    keys.removeAll(keepingCapacity: true)
    extractor.charKeys(words, into: &keys)
    let charPart = group(keys, weight: charWeight)
    keys.removeAll(keepingCapacity: true)
    extractor.pairKeys(words, into: &keys)
    let pairPart = group(keys, weight: pairWeight)

    // Keys hash to one group each, so the index sets are disjoint; merge them sorted.
    var pairs = zip(wordPart.indices, wordPart.values).map { ($0, $1) }
    pairs += zip(charPart.indices, charPart.values).map { ($0, $1) }
    pairs += zip(pairPart.indices, pairPart.values).map { ($0, $1) }
    pairs.sort { $0.0 < $1.0 }
    wordPart.indices = pairs.map(\.0)
    wordPart.values = pairs.map(\.1)
    return wordPart
  }

  /// One group's known keys with sublinear tf times idf, L2-normalised to `weight`.
  func group(_ keys: [UInt64], weight: Float) -> SparseVector {
    var found: [Int32] = []
    found.reserveCapacity(keys.count)
    for key in keys {
      if let feature = index[key] { found.append(feature) }
    }
    guard !found.isEmpty, weight > 0 else { return SparseVector() }
    found.sort()
    var indices: [Int32] = []
    var values: [Float] = []
    var position = 0
    while position < found.count {
      let feature = found[position]
      var count = 1
      while position + count < found.count, found[position + count] == feature { count += 1 }
      indices.append(feature)
      values.append((1 + log(Float(count))) * idf[Int(feature)])
      position += count
    }
    let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 0 {
      let scale = weight / norm
      for offset in values.indices { values[offset] *= scale }
    }
    return SparseVector(indices: indices, values: values)
  }
}
