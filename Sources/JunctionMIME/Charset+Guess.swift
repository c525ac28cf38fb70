import JunctionModel

extension Charset {
  /// The charset unlabelled bytes (or bytes under an unknown label) are most likely in:
  /// US-ASCII, then UTF-8 when the bytes are valid UTF-8, then — when most words are made of
  /// high bytes, as Cyrillic text is — whichever of windows-1251, KOI8-R and IBM866 reads as
  /// the most plausible Russian, else windows-1252 (latin-1).
  public static func guess(_ bytes: ArraySlice<UInt8>) -> Charset {
    if isASCII(bytes) { return .usASCII }
    if UTF8Text.string(bytes) != nil { return .utf8 }
    guard looksCyrillic(bytes) else { return .windows1252 }
    var best = Charset.windows1251
    var bestScore = -1.0
    for candidate in [Charset.windows1251, .koi8R, .cp866] {
      guard case .table(let table) = candidate.decoder else { continue }
      let score = russianScore(bytes, table.codePoints)
      if score > bestScore {
        best = candidate
        bestScore = score
      }
    }
    return best
  }

  static func guessDecode(_ bytes: ArraySlice<UInt8>) -> String { guess(bytes).decode(bytes) }

  /// Whether most words that hold high bytes are mostly high bytes (Cyrillic in a single-byte
  /// charset), rather than Latin words with an accented letter here and there.
  static func looksCyrillic(_ bytes: ArraySlice<UInt8>) -> Bool {
    var wordsWithHigh = 0
    var mostlyHigh = 0
    var high = 0
    var letters = 0
    func endWord() {
      if high > 0 {
        wordsWithHigh += 1
        if high * 2 >= letters { mostlyHigh += 1 }
      }
      high = 0
      letters = 0
    }
    for byte in bytes {
      if byte >= 0x80 {
        high += 1
        letters += 1
      } else if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
        letters += 1
      } else {
        endWord()
      }
    }
    endWord()
    return wordsWithHigh > 0 && mostlyHigh * 10 >= wordsWithHigh * 6
  }

  /// Sum of Russian letter frequencies of the decoded high bytes, lowercase letters counting
  /// fully and capitals a third (running text is mostly lowercase; the charsets differ in
  /// where they put each case).
  static func russianScore(_ bytes: ArraySlice<UInt8>, _ table: [UInt16]) -> Double {
    var score = 0.0
    for byte in bytes where byte >= 0x80 {
      let point = Int(table[Int(byte) - 0x80])
      if point >= 0x430 && point <= 0x44F {
        score += russianFrequency[point - 0x430]
      } else if point >= 0x410 && point <= 0x42F {
        score += russianFrequency[point - 0x410] / 3
      } else if point == 0x451 || point == 0x401 {
        score += 0.1
      }
    }
    return score
  }

  /// Frequency in percent of а…я in Russian prose.
  static let russianFrequency: [Double] = [
    8.0, 1.6, 4.5, 1.7, 3.0, 8.5, 0.9, 1.6, 7.4, 1.2, 3.5, 4.4, 3.2, 6.7, 11.0, 2.8,
    4.7, 5.5, 6.3, 2.6, 0.3, 1.0, 0.5, 1.4, 0.7, 0.4, 0.04, 1.9, 1.7, 0.3, 0.6, 2.0,
  ]
}
