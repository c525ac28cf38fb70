/// RFC 2047 encoded words (`=?charset?B?…?=`, `=?charset?Q?…?=`) in header text.
public enum EncodedWord {
  /// Decodes every encoded word in `text`.
  ///
  /// B and Q encodings in any charset ``Charset`` knows (unknown charsets are guessed); an
  /// RFC 2231 language suffix (`utf-8*ru`) is ignored. Whitespace between two adjacent
  /// encoded words is dropped, and adjacent words in the same charset are decoded as one
  /// byte string, so a character split across two words by a careless encoder survives.
  /// Malformed words are left exactly as written.
  public static func decode(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count >= 8, containsMarker(bytes) else { return text }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var pending: [UInt8] = []  // decoded bytes of a run of adjacent words in one charset
    var pendingCharset: String?
    var gapStart: Int?  // whitespace after the last word, dropped if another word follows
    func flush() {
      guard let label = pendingCharset else { return }
      output.append(contentsOf: Charset.decode(pending[...], label: label).text.utf8)
      pending.removeAll(keepingCapacity: true)
      pendingCharset = nil
    }
    let lastClose = lastWordEnd(bytes)
    var index = 0
    while index < bytes.count {
      if bytes[index] == 0x3D, index + 1 < bytes.count, bytes[index + 1] == 0x3F,
        index < lastClose, let word = parseWord(bytes, at: index)
      {
        if let charset = pendingCharset, Charset.normalize(charset) != word.charsetKey {
          flush()
        }
        pendingCharset = word.charset
        pending.append(contentsOf: word.decoded)
        gapStart = nil
        index = word.end
        continue
      }
      let byte = bytes[index]
      if pendingCharset != nil && (byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A) {
        if gapStart == nil { gapStart = index }
        index += 1
        continue
      }
      flush()
      if let start = gapStart {
        output.append(contentsOf: bytes[start..<index])
        gapStart = nil
      }
      output.append(byte)
      index += 1
    }
    flush()
    if let start = gapStart { output.append(contentsOf: bytes[start...]) }
    return String(decoding: output, as: UTF8.self)
  }

  /// Index of the last `?=` (no word can start after it).
  private static func lastWordEnd(_ bytes: [UInt8]) -> Int {
    var index = bytes.count - 2
    while index >= 0 {
      if bytes[index] == 0x3F && bytes[index + 1] == 0x3D { return index }
      index -= 1
    }
    return -1
  }

  private static func containsMarker(_ bytes: [UInt8]) -> Bool {
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == 0x3D && bytes[index + 1] == 0x3F { return true }
      index += 1
    }
    return false
  }

  /// Longest encoded text accepted in one word (RFC 2047 allows 75 characters for the whole
  /// word; senders exceed it, but a bound keeps hostile headers linear).
  static let maxEncodedText = 1024

  struct Word {
    var charset: String
    var charsetKey: String
    var decoded: [UInt8]
    var end: Int
  }

  /// Parses the encoded word starting at `start` (which holds `=?`), or nil when malformed.
  static func parseWord(_ bytes: [UInt8], at start: Int) -> Word? {
    var index = start + 2
    let charsetStart = index
    while index < bytes.count, bytes[index] != 0x3F {
      let byte = bytes[index]
      if byte <= 0x20 || byte >= 0x7F || byte == 0x3D || index - charsetStart > 64 { return nil }
      index += 1
    }
    guard index > charsetStart, index + 2 < bytes.count, bytes[index + 2] == 0x3F else {
      return nil
    }
    var charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
    if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
    let encoding = bytes[index + 1] | 0x20
    guard encoding == 0x62 || encoding == 0x71 else { return nil }
    let textStart = index + 3
    index = textStart
    while index + 1 < bytes.count, !(bytes[index] == 0x3F && bytes[index + 1] == 0x3D) {
      let byte = bytes[index]
      if byte <= 0x20 || byte >= 0x7F || index - textStart > maxEncodedText { return nil }
      index += 1
    }
    guard index + 1 < bytes.count else { return nil }
    let encoded = bytes[textStart..<index]
    let decoded: [UInt8]
    if encoding == 0x62 {
      decoded = Base64.decode(encoded).bytes
    } else {
      decoded = QuotedPrintable.decodeQ(encoded)
    }
    return Word(
      charset: charset, charsetKey: Charset.normalize(charset), decoded: decoded, end: index + 2)
  }
}
