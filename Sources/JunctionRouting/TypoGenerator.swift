/// Makes seeded misspellings the way the BANKING77 robustness benchmark defines them: in every
/// word of at least four letters, one letter is swapped with its right neighbour or dropped
/// (equally likely, position uniform). Used by benchmarks and to check admins' examples.
public struct TypoGenerator: Sendable {
  var random: SplitMix64
  /// Words shorter than this many letters are left alone.
  public var minimumLetters: Int

  /// Creates a generator; the same seed gives the same misspellings.
  public init(seed: UInt64, minimumLetters: Int = 4) {
    random = SplitMix64(seed: seed)
    self.minimumLetters = minimumLetters
  }

  /// `text` with one typo in each long enough word (a maximal run of letters).
  public mutating func misspell(_ text: String) -> String {
    var output: [Character] = []
    var word: [Character] = []
    func flush(_ random: inout SplitMix64) {
      if word.count >= minimumLetters {
        if random.next() % 2 == 0 {
          let position = Int(random.next() % UInt64(word.count - 1))
          word.swapAt(position, position + 1)
        } else {
          word.remove(at: Int(random.next() % UInt64(word.count)))
        }
      }
      output += word
      word.removeAll(keepingCapacity: true)
    }
    for character in text {
      if character.isLetter {
        word.append(character)
      } else {
        flush(&random)
        output.append(character)
      }
    }
    flush(&random)
    return String(output)
  }
}
