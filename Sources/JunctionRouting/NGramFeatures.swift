import Foundation

/// Turns the tokens of a normalised message into hashed n-gram keys (64-bit FNV-1a, so two
/// different n-grams practically never share a key), in two groups weighted apart:
/// word unigrams and bigrams, and character n-grams inside word boundaries (`" card "` gives
/// `" c"`, `"ca"`, ... `"card "`), which still match a word with a swapped or dropped letter.
public struct NGramFeatures: Sendable, Equatable {
  /// Shortest character n-gram.
  public var minCharGram: Int
  /// Longest character n-gram.
  public var maxCharGram: Int
  /// Whether word bigrams are included.
  public var wordBigrams: Bool
  /// Word pairs up to this many positions apart (beyond adjacent bigrams) are features too.
  public var pairWindow: Int = 6
  /// Whether stems (``LightStemmer``) of inflected words are features too.
  public var stems: Bool = false
  /// Whether word trigrams are included.
  public var wordTrigrams: Bool = false
  /// A word pair `d` positions apart counts `pairDecay^(d - 2) · (2 / d)^pairPower` times
  /// (1 and 0: every pair counts once).
  public var pairDecay: Float = 1
  /// See ``pairDecay``.
  public var pairPower: Float = 0
  /// A character n-gram of length `n` counts `(n / maxCharGram)^charLengthPower` times.
  public var charLengthPower: Float = 0
  /// Words up to this many positions after a negation (`not`, `dont`, ...) are also features
  /// as negated words in the word group (0: none).
  public var negationWindow: Int = 0

  /// Pairs of the words left when ``pairStopWords`` are removed, up to this many positions
  /// apart in that shorter sequence, join the pair group (0: none).
  public var contentPairWindow: Int = 0
  /// Whether the first word paired with every later word joins the pair group.
  public var anchorPairs: Bool = false
  /// Hashes (``wordHash(_:)``) of the words content pairs skip.
  public var pairStopWords: Set<UInt64> = []

  /// A word's hash, as used for word keys.
  public static func wordHash(_ word: [Unicode.Scalar]) -> UInt64 {
    var hash = mix(offsetBasis, 1)
    for scalar in word { hash = mix(hash, scalar.value) }
    return hash
  }

  /// Whether pair keys carry weights other than 1.
  var weightsPairs: Bool { pairDecay != 1 || pairPower != 0 }
  /// Whether character keys carry weights other than 1.
  var weightsChars: Bool { charLengthPower != 0 }

  /// Words that negate the words after them (apostrophes are dropped by the normaliser).
  static let negations: Set<String> = [
    "not", "no", "never", "cannot", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent",
    "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "couldnt", "shouldnt", "without",
    "не", "нет",
  ]

  /// Creates an extractor; the defaults were chosen by cross-validation on BANKING77.
  public init(minCharGram: Int = 2, maxCharGram: Int = 5, wordBigrams: Bool = true) {
    self.minCharGram = minCharGram
    self.maxCharGram = maxCharGram
    self.wordBigrams = wordBigrams
  }

  static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x100_0000_01b3

  @inline(__always)
  static func mix(_ hash: UInt64, _ value: UInt32) -> UInt64 {
    (hash ^ UInt64(value)) &* prime
  }

  /// Keys of the word group (unigrams, then bigrams) appended to `keys`.
  public func wordKeys(_ words: [[Unicode.Scalar]], into keys: inout [UInt64]) {
    var hashes: [UInt64] = []
    hashes.reserveCapacity(words.count)
    for word in words {
      var hash = Self.mix(Self.offsetBasis, 1)
      for scalar in word { hash = Self.mix(hash, scalar.value) }
      hashes.append(hash)
      keys.append(hash)
      if stems {
        let stem = LightStemmer.stem(word)
        if stem.count < word.count {
          var stemHash = Self.mix(Self.offsetBasis, 7)
          for scalar in stem { stemHash = Self.mix(stemHash, scalar.value) }
          keys.append(stemHash)
        }
      }
    }
    if negationWindow > 0 {
      for (index, word) in words.enumerated()
      where Self.negations.contains(String(String.UnicodeScalarView(word))) {
        for next in (index + 1)..<min(words.count, index + 1 + negationWindow) {
          keys.append((hashes[next] &* 41) &* Self.prime ^ 11)
        }
      }
    }
    guard wordBigrams, hashes.count > 1 else { return }
    for index in 1..<hashes.count {
      keys.append((hashes[index - 1] &* 31 ^ hashes[index]) &* Self.prime ^ 2)
      if wordTrigrams, index >= 2 {
        keys.append(
          ((hashes[index - 2] &* 31 ^ hashes[index - 1]) &* 31 ^ hashes[index]) &* Self.prime ^ 4)
      }
    }
  }

  /// Keys of the word-pair group: words up to ``pairWindow`` positions apart, in order.
  public func pairKeys(_ words: [[Unicode.Scalar]], into keys: inout [UInt64]) {
    var ignored: [Float] = []
    pairKeys(words, into: &keys, weights: &ignored, recording: false)
  }

  /// ``pairKeys(_:into:)`` with each key's weight appended to `weights` when `recording`.
  func pairKeys(
    _ words: [[Unicode.Scalar]], into keys: inout [UInt64], weights: inout [Float],
    recording: Bool
  ) {
    if contentPairWindow > 0 {
      let content = words.map(Self.wordHash).filter { !pairStopWords.contains($0) }
      for index in content.indices {
        for distance in 1...contentPairWindow where index - distance >= 0 {
          keys.append((content[index - distance] &* 43 ^ content[index]) &* Self.prime ^ 13)
          if recording { weights.append(1) }
        }
      }
    }
    if anchorPairs, words.count > 1 {
      let first = Self.wordHash(words[0])
      for word in words.dropFirst() {
        keys.append((first &* 47 ^ Self.wordHash(word)) &* Self.prime ^ 17)
        if recording { weights.append(1) }
      }
    }
    guard pairWindow >= 2, words.count > 2 else { return }
    let distanceWeight = (0...max(pairWindow, 2)).map { distance in
      pow(pairDecay, Float(distance - 2)) * pow(2 / Float(max(distance, 1)), pairPower)
    }
    let hashes = words.map { word in
      var hash = Self.mix(Self.offsetBasis, 1)
      for scalar in word { hash = Self.mix(hash, scalar.value) }
      return hash
    }
    for index in 2..<hashes.count {
      for distance in 2...pairWindow where index - distance >= 0 {
        keys.append((hashes[index - distance] &* 37 ^ hashes[index]) &* Self.prime ^ 5)
        if recording { weights.append(distanceWeight[distance]) }
      }
    }
  }

  /// Keys of the character group appended to `keys`; placeholders such as `<url>` give none.
  public func charKeys(_ words: [[Unicode.Scalar]], into keys: inout [UInt64]) {
    var ignored: [Float] = []
    charKeys(words, into: &keys, weights: &ignored, recording: false)
  }

  /// ``charKeys(_:into:)`` with each key's weight appended to `weights` when `recording`.
  func charKeys(
    _ words: [[Unicode.Scalar]], into keys: inout [UInt64], weights: inout [Float],
    recording: Bool
  ) {
    let lengthWeight = (0...max(maxCharGram, 1)).map {
      pow(Float($0) / Float(max(maxCharGram, 1)), charLengthPower)
    }
    var padded: [UInt32] = []
    for word in words {
      if word.first == "<" { continue }
      padded.removeAll(keepingCapacity: true)
      padded.append(0x20)
      for scalar in word { padded.append(scalar.value) }
      padded.append(0x20)
      let length = padded.count
      for start in 0..<length {
        var hash = Self.mix(Self.offsetBasis, 3)
        var end = start
        while end < length, end - start < maxCharGram {
          hash = Self.mix(hash, padded[end])
          end += 1
          let size = end - start
          if size >= minCharGram {
            keys.append(hash)
            if recording { weights.append(lengthWeight[size]) }
          }
        }
      }
    }
  }
}
