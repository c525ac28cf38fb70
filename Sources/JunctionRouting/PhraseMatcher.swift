/// Finds configured phrases (escalation words, requests for a human, negative feedback, keyword
/// rules) in a normalised message, tolerating typos and word endings.
///
/// A phrase is normalised like a message and matches where its words appear in a row. A word
/// matches a message word that is equal, or — for words of four letters or more — within one
/// edit (a dropped, added, changed or swapped letter), or — for words of five letters or more —
/// that starts with it and has at most three more letters (`жалоб` finds `жалобу`). A phrase of
/// one word of three letters or fewer (`no`, `нет`) matches only as the message's first word,
/// so `no` answers a question but `why is there no delivery` does not count.
public struct PhraseMatcher: Sendable, Equatable {
  /// One phrase as written in the config, and its normalised words.
  struct Phrase: Sendable, Equatable {
    var text: String
    var words: [[Unicode.Scalar]]
  }

  let phrases: [Phrase]

  /// Prepares `phrases` (empty ones are ignored).
  public init(_ phrases: [String]) {
    let normalizer = TextNormalizer()
    self.phrases = phrases.compactMap { text in
      let words = normalizer.normalize(text).tokens.map { Array($0.unicodeScalars) }
      return words.isEmpty ? nil : Phrase(text: text, words: words)
    }
  }

  /// Whether there are no phrases to look for.
  public var isEmpty: Bool { phrases.isEmpty }

  /// The phrases (as configured) found in `text`, in configuration order.
  public func matches(in text: NormalizedText) -> [String] {
    let words = text.tokens.map { Array($0.unicodeScalars) }
    return phrases.filter { Self.occurs($0.words, in: words) }.map(\.text)
  }

  /// Whether any phrase occurs in `text`.
  public func matchesAny(_ text: NormalizedText) -> Bool {
    let words = text.tokens.map { Array($0.unicodeScalars) }
    return phrases.contains { Self.occurs($0.words, in: words) }
  }

  static func occurs(_ phrase: [[Unicode.Scalar]], in words: [[Unicode.Scalar]]) -> Bool {
    guard !phrase.isEmpty, phrase.count <= words.count else { return false }
    if phrase.count == 1, phrase[0].count <= 3 {
      return words.first.map { $0 == phrase[0] } ?? false
    }
    for start in 0...(words.count - phrase.count) {
      var all = true
      for (offset, word) in phrase.enumerated() where !wordMatches(word, words[start + offset]) {
        all = false
        break
      }
      if all { return true }
    }
    return false
  }

  /// Whether message word `candidate` stands for phrase word `word`.
  static func wordMatches(_ word: [Unicode.Scalar], _ candidate: [Unicode.Scalar]) -> Bool {
    if word == candidate { return true }
    if word.count >= 4, SpellingCorrector.withinOneEdit(word, candidate) { return true }
    if word.count >= 5, candidate.count > word.count, candidate.count <= word.count + 3,
      candidate.starts(with: word)
    {
      return true
    }
    return false
  }
}
