import Foundation

/// Normalises customer messages in Russian, English and Persian alike, so that the classifier,
/// the FAQ bot and phrase lists see one spelling of each word.
///
/// Steps, in order: Unicode NFKC and lower-casing; `ё`→`е`; Arabic `ي`/`ى`/`ك` → Persian
/// `ی`/`ک`; Arabic diacritics and tatweel dropped; the zero-width non-joiner removed so that
/// `می‌خواهم` reads as one word; other zero-width and bidirectional marks removed; Persian and
/// Arabic-Indic digits → ASCII; URLs, e-mail addresses, phone numbers and order numbers
/// replaced by `<url>`, `<email>`, `<phone>`, `<order>`; the rest split into words at
/// whitespace and punctuation (apostrophes inside a word are dropped: `don't` → `dont`).
/// Pure and thread-safe; input beyond ``maxScalars`` is ignored so time stays bounded.
public struct TextNormalizer: Sendable {
  /// Scalars of input read at most; a longer message is cut there.
  public static let maxScalars = 8192

  /// Creates a normaliser.
  public init() {}

  /// Normalises `text`: tokens, entities and language.
  public func normalize(_ text: String) -> NormalizedText {
    let scalars = Self.fold(text)
    var chunks: [ArraySlice<Unicode.Scalar>] = []
    var start = -1
    for index in scalars.indices {
      if Self.isSpace(scalars[index]) {
        if start >= 0 { chunks.append(scalars[start..<index]) }
        start = -1
      } else if start < 0 {
        start = index
      }
    }
    if start >= 0 { chunks.append(scalars[start..<scalars.endIndex]) }
    return EntityScanner(chunks: chunks).scan()
  }

  /// Character-level folding (NFKC, lower case, letter and digit unification, invisible
  /// marks removed); the first step of ``normalize(_:)``.
  public static func fold(_ text: String) -> [Unicode.Scalar] {
    var text = text
    if text.utf8.count > maxScalars * 4 {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: text.unicodeScalars.prefix(maxScalars))
      text = String(view)
    }
    // NFKC (through Foundation) is costly and changes nothing for most messages: plain
    // Russian, English and Persian text is already in NFKC. Only text with a scalar outside
    // those stable ranges goes through it.
    var composed = text
    if !text.unicodeScalars.allSatisfy(isNFKCStable) {
      // NFKC would turn the numero sign into "No"; it introduces an order number like "#".
      if text.unicodeScalars.contains("№") {
        composed = text.replacingOccurrences(of: "№", with: "#")
      }
      composed = composed.precomposedStringWithCompatibilityMapping
    }
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(min(composed.utf8.count, maxScalars))
    for scalar in composed.lowercased().unicodeScalars {
      if result.count >= maxScalars { break }
      if let mapped = foldScalar(scalar) { result.append(mapped) }
    }
    return result
  }

  /// Whether NFKC leaves `scalar` (and any string made only of such scalars) unchanged: ASCII,
  /// the Cyrillic block, the Arabic block without its compatibility letters, and common
  /// typographic punctuation. A conservative list: anything else goes through NFKC.
  @inline(__always)
  static func isNFKCStable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x7F, 0x0400...0x0482, 0x048A...0x04FF, 0x0600...0x064A, 0x0660...0x0674,
      0x0679...0x06D5:
      return true
    case 0x00AB, 0x00BB, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x200C, 0x200D: return true
    default: return false
    }
  }

  /// One scalar folded, or nil when it is dropped.
  @inline(__always)
  static func foldScalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
    let value = scalar.value
    if value < 0x80 { return scalar }
    switch value {
    case 0x0451: return "\u{0435}"  // ё → е
    case 0x064A, 0x0649: return "\u{06CC}"  // Arabic yeh, alef maksura → Persian yeh
    case 0x0643: return "\u{06A9}"  // Arabic kaf → Persian keheh
    case 0x06F0...0x06F9: return Unicode.Scalar(value - 0x06F0 + 0x30)
    case 0x0660...0x0669: return Unicode.Scalar(value - 0x0660 + 0x30)
    case 0x2019, 0x02BC, 0x2018: return "'"  // typographic apostrophes
    case 0x200C: return nil  // zero-width non-joiner: a joiner inside a word, never a split
    case 0x200B, 0x200D, 0x2060, 0xFEFF, 0x00AD: return nil  // zero-width, soft hyphen
    case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return nil  // bidi marks
    case 0x0640, 0x064B...0x065F, 0x0670: return nil  // tatweel, Arabic diacritics
    default: return scalar
    }
  }

  /// Whitespace separating chunks.
  @inline(__always)
  static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 {
      return scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r"
        || scalar.value == 0x0B || scalar.value == 0x0C
    }
    // Cyrillic and Arabic letters are never whitespace (the common case, answered without a
    // Unicode property lookup).
    if (0x0400...0x06FF).contains(scalar.value) { return false }
    return scalar.properties.isWhitespace
  }

  /// Whether the scalar belongs inside a word: a letter, a digit or a combining mark.
  @inline(__always)
  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39)
        || (value >= 0x41 && value <= 0x5A)
    }
    // The Cyrillic block is letters and combining marks, but for the thousands sign.
    if value >= 0x0400 && value <= 0x04FF { return value != 0x0482 }
    let properties = scalar.properties
    if properties.isAlphabetic { return true }
    switch properties.generalCategory {
    case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
    default: return false
    }
  }

  /// Splits a chunk into words at punctuation; apostrophes inside a word are dropped.
  static func words(in chunk: ArraySlice<Unicode.Scalar>) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    for (offset, scalar) in zip(chunk.indices, chunk) {
      if isWordScalar(scalar) {
        current.append(scalar)
      } else if scalar == "'", !current.isEmpty, offset + 1 < chunk.endIndex,
        isWordScalar(chunk[offset + 1])
      {
        continue
      } else if !current.isEmpty {
        words.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
  }

  /// The language a word's letters suggest: `"ru"` (Cyrillic), `"fa"` (Arabic script),
  /// `"en"` (Latin), nil for digits only.
  static func script(of word: String) -> Int? {
    for scalar in word.unicodeScalars {
      switch scalar.value {
      case 0x61...0x7A, 0xC0...0x24F: return 0
      case 0x0400...0x04FF: return 1
      case 0x0600...0x06FF, 0xFB50...0xFDFF, 0xFE70...0xFEFC: return 2
      default: continue
      }
    }
    return nil
  }

  /// Language codes by script index of ``script(of:)``.
  static let scriptLanguages = ["en", "ru", "fa"]
}
