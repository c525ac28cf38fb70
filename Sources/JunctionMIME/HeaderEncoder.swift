/// Writes header fields for ``MailBuilder``: RFC 2047 encoded words for non-ASCII text
/// (UTF-8, B or Q whichever is shorter, never splitting a character between words) and
/// folding at 78 columns with CRLF.
enum HeaderEncoder {
  static let lineLimit = 78
  static let wordLimit = 75
  /// Bytes Q may leave as they are in any header context (RFC 2047 §5 (3)).
  static let qSafe: Set<UInt8> = Set(
    Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/".utf8))

  /// `Name: value` with unstructured text, folded (ends with CRLF).
  static func unstructured(_ name: String, _ value: String) -> String {
    let clean = value.map { $0 == "\r\n" || $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
    let text = String(clean)
    if needsEncoding(text) {
      return fold(name, encodedWords(text, firstRoom: lineLimit - name.utf8.count - 2))
    }
    return fold(name, text.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
  }

  /// Whether text must go as encoded words: non-ASCII, control characters, something that
  /// would read as an encoded word, or a word too long to fold.
  static func needsEncoding(_ text: String) -> Bool {
    if text.mayHoldEncodedWord { return true }
    var run = 0
    for byte in text.utf8 {
      if byte >= 0x7F || (byte < 0x20 && byte != 0x09) { return true }
      run = byte == 0x20 ? 0 : run + 1
      if run > 900 { return true }
    }
    return false
  }

  /// Joins `pieces` with single spaces, breaking lines (CRLF + space) before a piece that
  /// would pass 78 columns (even the first one, when it fits on a line of its own); empty
  /// pieces stand for extra spaces. Returns the whole field ending with CRLF.
  static func fold(_ name: String, _ pieces: [String]) -> String {
    var result = name + ":"
    var column = result.utf8.count
    for piece in pieces {
      let length = piece.utf8.count
      if length == 0 {  // a run of spaces: kept, never a place to fold
        result += " "
        column += 1
        continue
      }
      let fits = column + 1 + length <= lineLimit
      let lineIsEmpty = column == name.utf8.count + 1
      if !fits && (!lineIsEmpty || 1 + length <= lineLimit) {
        result += "\r\n " + piece
        column = 1 + length
      } else {
        result += " " + piece
        column += 1 + length
      }
    }
    return result + "\r\n"
  }

  /// `text` as UTF-8 encoded words, the first at most `firstRoom` long, the others at most
  /// 75; B or Q, whichever makes the text shorter.
  static func encodedWords(_ text: String, firstRoom: Int) -> [String] {
    let bytes = Array(text.utf8)
    let qLength = cost(bytes)
    let useQ = qLength <= (bytes.count + 2) / 3 * 4
    let prefix = useQ ? "=?utf-8?q?" : "=?utf-8?b?"
    let overhead = prefix.utf8.count + 2
    var words: [String] = []
    var chunk: [UInt8] = []
    var chunkLength = 0
    func flush() {
      guard !chunk.isEmpty else { return }
      let payload =
        useQ ? qEncode(chunk) : String(decoding: Base64.encode(chunk[...]), as: UTF8.self)
      words.append(prefix + payload + "?=")
      chunk.removeAll()
      chunkLength = 0
    }
    for scalar in text.unicodeScalars {
      let scalarBytes = Array(String(scalar).utf8)
      let room = (words.isEmpty ? max(24, min(firstRoom, wordLimit)) : wordLimit) - overhead
      let grown =
        useQ ? chunkLength + cost(scalarBytes) : (chunk.count + scalarBytes.count + 2) / 3 * 4
      if !chunk.isEmpty && grown > room { flush() }
      chunk.append(contentsOf: scalarBytes)
      chunkLength += cost(scalarBytes)
    }
    flush()
    return words
  }

  /// Length of `bytes` in the Q encoding.
  static func cost(_ bytes: [UInt8]) -> Int {
    bytes.reduce(0) { $0 + (qSafe.contains($1) || $1 == 0x20 ? 1 : 3) }
  }

  static func qEncode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    for byte in bytes {
      if byte == 0x20 {
        output.append(0x5F)
      } else if qSafe.contains(byte) {
        output.append(byte)
      } else {
        output.append(0x3D)
        output.append(QuotedPrintable.hexDigits[Int(byte >> 4)])
        output.append(QuotedPrintable.hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// A display name as header pieces: atoms, a quoted string (for specials, dots or runs of
  /// spaces), or encoded words.
  static func phrase(_ name: String) -> [String] {
    let clean = String(name.map { $0.isNewline ? " " : $0 }).trimmingCharacters()
    if needsEncoding(clean) { return encodedWords(clean, firstRoom: wordLimit) }
    let plain =
      clean.utf8.allSatisfy { HeaderLexer.isAtext($0) || $0 == 0x20 } && !clean.contains(".")
      && !clean.contains("  ")
    if plain { return clean.split(separator: " ").map(String.init) }
    return ["\"" + clean.quotedEscaped + "\""]
  }
}
