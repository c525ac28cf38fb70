extension MailBuilder {
  /// `Name: a, b` with display names quoted or encoded and the line folded between
  /// addresses (ends with CRLF).
  static func addressField(_ name: String, _ addresses: [MailAddress]) throws(MIMEError) -> String {
    var pieces: [String] = []
    for (index, address) in addresses.enumerated() {
      let spec = try checkedAddress(address.address)
      let comma = index + 1 < addresses.count ? "," : ""
      if let display = address.name?.trimmingCharacters(), !display.isEmpty {
        pieces.append(contentsOf: HeaderEncoder.phrase(display))
        pieces.append("<\(spec)>\(comma)")
      } else {
        pieces.append(spec + comma)
      }
    }
    return HeaderEncoder.fold(name, pieces)
  }

  /// An ASCII `local@domain` without spaces, brackets or line breaks.
  static func checkedAddress(_ address: String) throws(MIMEError) -> String {
    let spec = address.trimmingASCIIWhitespace()
    guard let at = spec.lastIndex(of: "@"), at != spec.startIndex,
      spec.index(after: at) != spec.endIndex
    else { throw .invalidAddress(address, reason: "expected local@domain") }
    for byte in spec.utf8 {
      if byte >= 0x80 {
        throw .invalidAddress(address, reason: "non-ASCII addresses are not supported")
      }
      if byte <= 0x20 || byte == 0x7F || byte == 0x3C || byte == 0x3E || byte == 0x2C
        || byte == 0x3B
      {
        throw .invalidAddress(address, reason: "contains a space, control character or <>,;")
      }
    }
    return spec
  }

  /// A message id without brackets: printable ASCII, no spaces or angle brackets.
  static func checkedID(_ id: String) throws(MIMEError) -> String {
    var trimmed = id.trimmingASCIIWhitespace()
    if trimmed.hasPrefix("<") && trimmed.hasSuffix(">") && trimmed.count >= 2 {
      trimmed = String(trimmed.dropFirst().dropLast())
    }
    guard !trimmed.isEmpty, trimmed.utf8.count <= 900,
      trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x3C && $0 != 0x3E })
    else { throw .invalidMessageID(id) }
    return trimmed
  }

  /// A header name: printable ASCII without colon or space.
  static func checkName(_ name: String) throws(MIMEError) {
    guard !name.isEmpty, name.utf8.count <= 76,
      name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x3A })
    else { throw .invalidHeader(name: name, reason: "not a valid field name") }
    let reserved = [
      "date", "from", "to", "cc", "subject", "message-id", "mime-version", "content-type",
      "content-transfer-encoding",
    ]
    if reserved.contains(name.asciiLowercased()) {
      throw .invalidHeader(name: name, reason: "set by MailBuilder itself")
    }
  }

  /// `name="value"` for a short plain ASCII value, else RFC 2231 `name*=utf-8''…` split into
  /// `name*0*=`, `name*1*=`, … sections of at most 60 characters (never inside an escape).
  static func parameterPieces(_ name: String, _ value: String) -> [String] {
    let plain = value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    if plain && value.utf8.count <= 60 { return ["\(name)=\"\(value)\""] }
    let keep = Set(Array("!#$&+-.^_`|~".utf8))
    var escaped: [String] = []
    for byte in value.utf8 {
      let lower = byte | 0x20
      if (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || keep.contains(byte) {
        escaped.append(String(UnicodeScalar(byte)))
      } else {
        let hex = QuotedPrintable.hexDigits
        escaped.append(
          "%" + String(UnicodeScalar(hex[Int(byte >> 4)]))
            + String(UnicodeScalar(hex[Int(byte & 0x0F)])))
      }
    }
    var sections: [String] = []
    var current = "utf-8''"
    for piece in escaped {
      if current.utf8.count + piece.utf8.count > 60 {
        sections.append(current)
        current = ""
      }
      current += piece
    }
    sections.append(current)
    if sections.count == 1 { return ["\(name)*=\(sections[0])"] }
    return sections.enumerated().map { "\(name)*\($0.offset)*=\($0.element)" }
  }

  /// The `name` fallback of `Content-Type` for old clients: plain, or RFC 2047 words inside
  /// the quotes (folded between words; decoders drop the space between adjacent words).
  static func legacyNamePieces(_ value: String) -> [String] {
    let plain = value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    if plain { return ["name=\"\(value)\""] }
    var words = HeaderEncoder.encodedWords(value, firstRoom: 70)
    words[0] = "name=\"" + words[0]
    words[words.count - 1] += "\""
    return words
  }

  /// Joins parameter pieces with `;` for folding.
  static func withSemicolons(_ pieces: [String]) -> [String] {
    pieces.enumerated().map { $0.offset + 1 < pieces.count ? $0.element + ";" : $0.element }
  }
}
