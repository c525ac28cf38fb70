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
  /// The group of each sparse feature: 0 words, 1 characters, 2 word pairs (latent: 3).
  var groupOf: [UInt8]
  /// Dense latent word vectors, appended after the sparse features (nil: none).
  var latent: LatentSemantics?
  /// Weight of the latent group in the combined vector.
  public var latentWeight: Float = 1

  /// Term frequency weighting: 0 sublinear (`1 + ln tf`), 1 binary.
  public var binaryTermFrequency = false
  /// Each group is divided by its norm to this power (1: L2-normalised).
  public var normPower: Float = 1

  /// The number of features.
  public var dimension: Int { idf.count + (latent?.dimension ?? 0) }

  /// Learns the vocabulary of `documents` (each a list of words); keys seen in fewer than
  /// `minimumDocuments` documents are left out.
  public init(
    documents: [[[Unicode.Scalar]]], extractor: NGramFeatures, wordWeight: Float = 1,
    charWeight: Float = 1, pairWeight: Float = 1, minimumDocuments: Int = 1,
    latentDimension: Int = 0, latentWeight: Float = 1
  ) {
    self.latentWeight = latentWeight
    latent =
      latentDimension > 0 && latentWeight > 0
      ? LatentSemantics(documents: documents, dimension: latentDimension) : nil
    self.pairWeight = pairWeight
    self.extractor = extractor
    self.wordWeight = wordWeight
    self.charWeight = charWeight
    var documentFrequency: [UInt64: (count: Int32, group: UInt8)] = [:]
    var keys: [UInt64] = []
    for words in documents {
      for group in 0..<3 {
        keys.removeAll(keepingCapacity: true)
        switch group {
        case 0: extractor.wordKeys(words, into: &keys)
        case 1: extractor.charKeys(words, into: &keys)
        default: extractor.pairKeys(words, into: &keys)
        }
        for key in Set(keys) { documentFrequency[key, default: (0, UInt8(group))].count += 1 }
      }
    }
    var index: [UInt64: Int32] = [:]
    var idf: [Float] = []
    var groupOf: [UInt8] = []
    let total = Float(documents.count)
    for (key, entry) in documentFrequency.sorted(by: { $0.key < $1.key })
    where entry.count >= Int32(minimumDocuments) {
      index[key] = Int32(idf.count)
      idf.append(log((1 + total) / (1 + Float(entry.count))) + 1)
      groupOf.append(entry.group)
    }
    self.index = index
    self.idf = idf
    self.groupOf = groupOf
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
    if let latent {
      let base = Int32(idf.count)
      for (offset, value) in latent.embed(words, weight: latentWeight).enumerated() where value != 0
      {
        pairs.append((base + Int32(offset), value))
      }
    }
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
      values.append((binaryTermFrequency ? 1 : 1 + log(Float(count))) * idf[Int(feature)])
      position += count
    }
    let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 0 {
      let scale = weight / (normPower == 1 ? norm : pow(norm, normPower))
      for offset in values.indices { values[offset] *= scale }
    }
    return SparseVector(indices: indices, values: values)
  }
}
