extension String {
  /// The string without leading and trailing spaces, tabs, CRs and LFs.
  func trimmingASCIIWhitespace() -> String {
    let utf8 = self.utf8
    guard let first = utf8.firstIndex(where: { !Self.isASCIIWhitespace($0) }),
      let last = utf8.lastIndex(where: { !Self.isASCIIWhitespace($0) })
    else { return "" }
    if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return self }
    return String(self[first...last])
  }

  /// The string with ASCII capitals lowered (other characters untouched).
  func asciiLowercased() -> String {
    guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
    return String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
  }

  /// The content of a quoted string: backslashes and quotes escaped.
  var quotedEscaped: String {
    var result = ""
    for character in self {
      if character == "\\" || character == "\"" { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// Whether every byte is ASCII.
  var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }

  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }
}
