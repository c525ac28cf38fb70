/// Writes JSON text into a byte buffer.
///
/// Use the streaming methods on hot paths (no intermediate ``JSON`` tree) or ``write(_:)`` for
/// a whole value. Output is compact, members in the order given, non-ASCII written as UTF-8.
public struct JSONWriter {
  /// The bytes written so far.
  public var bytes: [UInt8]
  /// Whether the next value at the current level needs a comma before it.
  @usableFromInline var needsComma = false

  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  // MARK: Streaming

  /// Opens an object (`{`).
  public mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    needsComma = false
  }

  /// Closes an object (`}`).
  public mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    needsComma = true
  }

  /// Opens an array (`[`).
  public mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    needsComma = false
  }

  /// Closes an array (`]`).
  public mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    needsComma = true
  }

  /// Writes a member name; the next call writes its value.
  public mutating func key(_ name: String) {
    separate()
    appendQuoted(name)
    bytes.append(UInt8(ascii: ":"))
    needsComma = false
  }

  /// Writes a string value.
  public mutating func string(_ value: String) {
    separate()
    appendQuoted(value)
    needsComma = true
  }

  /// Writes a string value or `null`.
  public mutating func string(_ value: String?) {
    if let value { string(value) } else { null() }
  }

  /// Writes an integer value.
  public mutating func int(_ value: Int64) {
    separate()
    appendDecimal(value)
    needsComma = true
  }

  /// Writes a floating-point value (non-finite values become `null`).
  public mutating func double(_ value: Double) {
    separate()
    if value.isFinite {
      if value.rounded() == value && abs(value) < 1e15 {
        appendDecimal(Int64(value))
      } else {
        bytes.append(contentsOf: "\(value)".utf8)
      }
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    needsComma = true
  }

  /// Writes `true` or `false`.
  public mutating func bool(_ value: Bool) {
    separate()
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
    needsComma = true
  }

  /// Writes `null`.
  public mutating func null() {
    separate()
    bytes.append(contentsOf: "null".utf8)
    needsComma = true
  }

  /// Splices already-serialised JSON bytes in as one value.
  public mutating func raw(_ json: [UInt8]) {
    separate()
    bytes.append(contentsOf: json)
    needsComma = true
  }

  /// Writes a whole value.
  public mutating func write(_ value: JSON) {
    switch value {
    case .null: null()
    case .bool(let flag): bool(flag)
    case .int(let number): int(number)
    case .double(let number): double(number)
    case .string(let text): string(text)
    case .array(let items):
      beginArray()
      for item in items { write(item) }
      endArray()
    case .object(let object):
      beginObject()
      for (name, member) in object {
        key(name)
        write(member)
      }
      endObject()
    }
  }

  // MARK: Internals

  @inline(__always) @usableFromInline mutating func separate() {
    if needsComma { bytes.append(UInt8(ascii: ",")) }
  }

  @usableFromInline mutating func appendDecimal(_ value: Int64) {
    if value == 0 {
      bytes.append(UInt8(ascii: "0"))
      return
    }
    var magnitude = value.magnitude
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      while magnitude > 0 {
        buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      }
      bytes.append(contentsOf: buffer[(20 - count)...])
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  @usableFromInline mutating func appendQuoted(_ text: String) {
    // Native and small strings lend their bytes without a copy of the string.
    if text.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) == nil {
      var text = text
      text.withUTF8 { appendQuoted($0) }
    }
  }

  /// Writes `utf8` as a JSON string: one copy when no byte needs escaping (most text), else
  /// runs between the escapes.
  @usableFromInline mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
    guard var index = Self.firstMayNeedEscape(utf8) else {
      bytes.append(UInt8(ascii: "\""))
      bytes.append(contentsOf: utf8)
      bytes.append(UInt8(ascii: "\""))
      return
    }
    bytes.append(UInt8(ascii: "\""))
    var runStart = 0
    while index < utf8.count {
      let byte = utf8[index]
      index += 1
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
        continue
      }
      if runStart < index - 1 {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(index - 1)]))
      }
      runStart = index
      bytes.append(UInt8(ascii: "\\"))
      switch byte {
      case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
      case 0x0A: bytes.append(UInt8(ascii: "n"))
      case 0x0D: bytes.append(UInt8(ascii: "r"))
      case 0x09: bytes.append(UInt8(ascii: "t"))
      case 0x08: bytes.append(UInt8(ascii: "b"))
      case 0x0C: bytes.append(UInt8(ascii: "f"))
      default:
        bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30])
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0xF)])
      }
    }
    if runStart < utf8.count {
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Where the first eight-byte word that may hold a byte to escape starts (nil: none does).
  /// Eight bytes at a time; a string of eight or more ends with an overlapping word instead
  /// of a byte loop.
  @inline(__always) static func firstMayNeedEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = UnsafeRawPointer(utf8.baseAddress) else { return nil }
    let count = utf8.count
    guard count >= 8 else {
      for index in 0..<count {
        let byte = utf8[index]
        if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return 0 }
      }
      return nil
    }
    var index = 0
    while index + 8 <= count {
      if mayNeedEscape(ByteWord.load(base, index)) { return index }
      index += 8
    }
    if index < count, mayNeedEscape(ByteWord.load(base, count - 8)) { return count - 8 }
    return nil
  }

  /// Whether any of the eight bytes in `word` may be a control byte, `"` or `\` (never no
  /// wrongly; see ``ByteWord``).
  @inline(__always) static func mayNeedEscape(_ word: UInt64) -> Bool {
    ByteWord.containsBelow(word, 0x20) || ByteWord.contains(word, UInt8(ascii: "\""))
      || ByteWord.contains(word, UInt8(ascii: "\\"))
  }
}

extension JSONWriter {
  /// Writes a timestamp as its RFC 3339 string.
  public mutating func timestamp(_ value: Timestamp) {
    string(value.rfc3339)
  }
}

extension JSON {
  /// The value a writer closure produces (for types whose canonical encoding is a writer).
  public static func encoded(_ body: (inout JSONWriter) -> Void) -> JSON {
    var writer = JSONWriter()
    body(&writer)
    return (try? JSONParser(maxDepth: 128, allowDuplicateKeys: true).parse(writer.bytes)) ?? .null
  }

  /// The value as compact JSON bytes.
  public func serialized() -> [UInt8] {
    var writer = JSONWriter()
    writer.write(self)
    return writer.bytes
  }

  /// The value as a compact JSON string.
  public func serializedString() -> String {
    String(decoding: serialized(), as: UTF8.self)
  }
}
