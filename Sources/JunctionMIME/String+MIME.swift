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
    return String(unsafeUninitializedCapacity: utf8.count) { buffer in
      var count = 0
      for byte in utf8 {
        buffer[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        count += 1
      }
      return count
    }
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

  /// Whether the text holds `=?`, the start of an RFC 2047 encoded word.
  var mayHoldEncodedWord: Bool {
    var previous: UInt8 = 0
    for byte in utf8 {
      if previous == 0x3D && byte == 0x3F { return true }
      previous = byte
    }
    return false
  }

  /// Whether every byte is ASCII.
  var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }

  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
  }
}
