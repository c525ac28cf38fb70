/// Why a JSON text was rejected, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Byte offset of the problem in the input.
  public var offset: Int
  /// What was wrong ("expected ':' after object key").
  public var reason: String

  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 JSON parser over bytes.
///
/// Rejects trailing garbage, control characters in strings, invalid UTF-8, lone surrogates,
/// leading zeros and (by default) duplicate object keys; nesting is bounded so hostile input
/// cannot exhaust the stack.
public struct JSONParser {
  /// Deepest nesting of arrays and objects accepted.
  public var maxDepth: Int
  /// Whether an object may repeat a key (the last value wins); strict configs say no.
  public var allowDuplicateKeys: Bool

  public init(maxDepth: Int = 64, allowDuplicateKeys: Bool = false) {
    self.maxDepth = maxDepth
    self.allowDuplicateKeys = allowDuplicateKeys
  }

  /// Parses a whole JSON text.
  public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(JSONParseError) -> JSON in try parse(buffer) }
    }
    return try result.get()
  }

  /// Parses a whole JSON text given as a string.
  public func parse(_ text: String) throws(JSONParseError) -> JSON {
    try parse(Array(text.utf8))
  }

  /// Parses a whole JSON text from raw memory.
  public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
    var reader = Reader(bytes: buffer, options: self)
    reader.skipWhitespace()
    let value = try reader.parseValue(depth: 0)
    reader.skipWhitespace()
    guard reader.index == buffer.count else {
      throw JSONParseError(offset: reader.index, reason: "unexpected data after the JSON value")
    }
    return value
  }
}

extension JSON {
  /// Parses `bytes` with the default strict parser.
  public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
    try JSONParser().parse(bytes)
  }

  /// Parses `text` with the default strict parser.
  public static func parse(_ text: String) throws(JSONParseError) -> JSON {
    try JSONParser().parse(text)
  }
}

private struct Reader {
  let bytes: UnsafeRawBufferPointer
  let options: JSONParser
  var index = 0

  init(bytes: UnsafeRawBufferPointer, options: JSONParser) {
    self.bytes = bytes
    self.options = options
  }

  @inline(__always) func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
    JSONParseError(offset: offset ?? index, reason: reason)
  }

  @inline(__always) mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
    guard let byte = peek() else { throw fail("unexpected end of input, expected a value") }
    switch byte {
    case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("unexpected character '\(printable(byte))', expected a value")
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw fail("invalid literal") }
    let pointer = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != pointer[offset] {
      throw fail("invalid literal")
    }
    index += count
  }

  /// Objects up to this many keys are checked for duplicates by scanning; larger ones hash.
  static let scannedKeys = 16

  mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
    guard depth <= options.maxDepth else { throw fail("nesting deeper than \(options.maxDepth)") }
    index += 1
    var object = JSONObject()
    // Keys seen so far, once the object is too large to scan them (a scan per key would make
    // an object of n keys cost n² comparisons: hostile bodies and large snapshots).
    var seen: Set<String> = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      return .object(object)
    }
    // Room for a typical payload object at once, instead of growing through 1, 2, 4 and 8.
    object.members.reserveCapacity(8)
    while true {
      skipWhitespace()
      let keyOffset = index
      guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
      let key = try parseString()
      let duplicate: Bool
      if seen.isEmpty && object.count < Self.scannedKeys {
        duplicate = object[key] != nil
      } else {
        if seen.isEmpty { seen = Set(object.keys) }
        duplicate = !seen.insert(key).inserted
      }
      if duplicate {
        if !options.allowDuplicateKeys {
          throw fail("duplicate key \"\(key)\"", at: keyOffset)
        }
        object[key] = nil
      }
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after object key") }
      index += 1
      skipWhitespace()
      let value = try parseValue(depth: depth)
      object.append(key, value)
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(object)
      default: throw fail("expected ',' or '}' in object")
      }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
    guard depth <= options.maxDepth else { throw fail("nesting deeper than \(options.maxDepth)") }
    index += 1
    var items: [JSON] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth))
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(items)
      default: throw fail("expected ',' or ']' in array")
      }
    }
  }

  mutating func parseNumber() throws(JSONParseError) -> JSON {
    let start = index
    var isInteger = true
    if peek() == UInt8(ascii: "-") { index += 1 }
    guard let first = peek(), isDigit(first) else { throw fail("expected a digit") }
    if first == UInt8(ascii: "0") {
      index += 1
      if let next = peek(), isDigit(next) { throw fail("leading zeros are not allowed") }
    } else {
      while let digit = peek(), isDigit(digit) { index += 1 }
    }
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard let digit = peek(), isDigit(digit) else { throw fail("expected a digit after '.'") }
      while let digit = peek(), isDigit(digit) { index += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard let digit = peek(), isDigit(digit) else { throw fail("expected a digit in exponent") }
      while let digit = peek(), isDigit(digit) { index += 1 }
    }
    let text = String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    if isInteger, let value = Int64(text) { return .int(value) }
    guard let value = Double(text), value.isFinite else {
      throw fail("number out of range", at: start)
    }
    return .double(value)
  }

  @inline(__always) func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  mutating func parseString() throws(JSONParseError) -> String {
    index += 1
    let start = index
    var ascii = true
    // Fast path: no escapes. Eight bytes at a time while none is a quote, a backslash or a
    // control byte (the writer's test); their high bits tell whether all were ASCII.
    if let base = bytes.baseAddress {
      var high: UInt64 = 0
      while index + 8 <= bytes.count {
        let word = ByteWord.load(base, index)
        if JSONWriter.mayNeedEscape(word) { break }
        high |= word
        index += 8
      }
      ascii = !ByteWord.containsNonASCII(high)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        guard let text = UTF8Text.string(raw, knownASCII: ascii) else {
          throw fail("invalid UTF-8 in string", at: start)
        }
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw fail("control character in string") }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    var scratch = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        guard let text = UTF8Text.string(scratch) else {
          throw fail("invalid UTF-8 in string", at: start)
        }
        return text
      case UInt8(ascii: "\\"):
        index += 1
        try parseEscape(into: &scratch)
      case 0..<0x20:
        throw fail("control character in string")
      default:
        scratch.append(byte)
        index += 1
      }
    }
    throw fail("unterminated string", at: start - 1)
  }

  mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
    guard let byte = peek() else { throw fail("unterminated escape") }
    index += 1
    switch byte {
    case UInt8(ascii: "\""): scratch.append(0x22)
    case UInt8(ascii: "\\"): scratch.append(0x5C)
    case UInt8(ascii: "/"): scratch.append(0x2F)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = UInt32(try parseHex4())
      if (0xD800...0xDBFF).contains(scalar) {
        guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count,
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw fail("lone high surrogate") }
        index += 2
        let low = UInt32(try parseHex4())
        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate") }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw fail("lone low surrogate")
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape") }
      scratch.append(contentsOf: String(Character(unicode)).utf8)
    default:
      throw fail("invalid escape '\\\(printable(byte))'", at: index - 2)
    }
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt16 {
    guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw fail("invalid hex digit in \\u escape")
      }
      value = value << 4 | UInt16(digit)
      index += 1
    }
    return value
  }

  func printable(_ byte: UInt8) -> String {
    (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
  }
}
