/// Corrects words the examples never used against the words they did, allowing one edit (a
/// dropped, added or changed letter, or two neighbours swapped), with a symmetric-delete index:
/// every known word is stored under itself and under each spelling with one letter deleted,
/// so a lookup only deletes letters from the query (Garbe's SymSpell idea, distance 1).
public struct SpellingCorrector: Sendable {
  /// Known words with how often the examples used them.
  var frequency: [String: Int]
  /// Each known word and each one-letter deletion of it → the known words it came from.
  var deletes: [String: [String]]
  /// Words shorter than this are never corrected (too many neighbours).
  public var minimumLength: Int
  /// Words longer than this are neither indexed nor corrected (bounds the work per word).
  public static let maximumLength = 32

  /// Builds the index over `words` (repeats count as frequency).
  public init<Words: Sequence>(words: Words, minimumLength: Int = 3) where Words.Element == String {
    var frequency: [String: Int] = [:]
    for word in words { frequency[word, default: 0] += 1 }
    var deletes: [String: [String]] = [:]
    for word in frequency.keys
    where (minimumLength - 1...Self.maximumLength).contains(word.unicodeScalars.count) {
      deletes[word, default: []].append(word)
      for variant in Self.deletions(of: word) where variant != word {
        deletes[variant, default: []].append(word)
      }
    }
    self.frequency = frequency
    self.deletes = deletes
    self.minimumLength = minimumLength
  }

  /// Whether the examples used `word`.
  public func knows(_ word: String) -> Bool { frequency[word] != nil }

  /// The number of times the examples used `word`.
  public func count(of word: String) -> Int { frequency[word] ?? 0 }

  /// Known words within one edit of `word`, most frequent first; `[word]` when it is known,
  /// empty when it is too short or nothing is close.
  public func candidates(for word: String) -> [String] {
    if frequency[word] != nil { return [word] }
    let scalars = Array(word.unicodeScalars)
    guard scalars.count >= minimumLength, scalars.count <= Self.maximumLength, scalars.first != "<",
      !scalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 })
    else { return [] }
    var found: Set<String> = []
    for key in [word] + Self.deletions(of: word) {
      for known in deletes[key] ?? [] where !found.contains(known) {
        if Self.withinOneEdit(scalars, Array(known.unicodeScalars)) { found.insert(known) }
      }
    }
    return found.sorted { (frequency[$0] ?? 0, $1) > (frequency[$1] ?? 0, $0) }
  }

  /// The most frequent known word within one edit, or `word` itself.
  public func correct(_ word: String) -> String { candidates(for: word).first ?? word }

  /// Every spelling of `word` with one letter deleted.
  static func deletions(of word: String) -> [String] {
    let scalars = Array(word.unicodeScalars)
    guard scalars.count > 1 else { return [] }
    var result: [String] = []
    result.reserveCapacity(scalars.count)
    for skip in scalars.indices {
      var view = String.UnicodeScalarView()
      for (offset, scalar) in scalars.enumerated() where offset != skip { view.append(scalar) }
      result.append(String(view))
    }
    return result
  }

  /// Optimal-string-alignment distance ≤ 1 (insertion, deletion, substitution, transposition).
  static func withinOneEdit(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
    if a == b { return true }
    if a.count == b.count {
      var first = -1
      for index in a.indices where a[index] != b[index] {
        if first >= 0 {
          return index == first + 1 && a[first] == b[index] && a[index] == b[first]
            && a[(index + 1)...] == b[(index + 1)...]
        }
        first = index
      }
      return true
    }
    let (short, long) = a.count < b.count ? (a, b) : (b, a)
    guard long.count == short.count + 1 else { return false }
    var index = 0
    while index < short.count, short[index] == long[index] { index += 1 }
    return short[index...] == long[(index + 1)...]
  }
}
