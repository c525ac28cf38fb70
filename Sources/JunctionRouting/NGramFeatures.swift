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
    guard pairWindow >= 2, words.count > 2 else { return }
    let hashes = words.map { word in
      var hash = Self.mix(Self.offsetBasis, 1)
      for scalar in word { hash = Self.mix(hash, scalar.value) }
      return hash
    }
    for index in 2..<hashes.count {
      for distance in 2...pairWindow where index - distance >= 0 {
        keys.append((hashes[index - distance] &* 37 ^ hashes[index]) &* Self.prime ^ 5)
      }
    }
  }

  /// Keys of the character group appended to `keys`; placeholders such as `<url>` give none.
  public func charKeys(_ words: [[Unicode.Scalar]], into keys: inout [UInt64]) {
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
          if size >= minCharGram { keys.append(hash) }
        }
      }
    }
  }
}
