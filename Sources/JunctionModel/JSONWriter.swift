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
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      var runStart = 0
      var index = 0
      while index < utf8.count {
        // Eight bytes at a time while none needs escaping (most text never does).
        if index + 8 <= utf8.count,
          let base = utf8.baseAddress,
          !Self.mayNeedEscape(ByteWord.load(base, index))
        {
          index += 8
          continue
        }
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
    }
    bytes.append(UInt8(ascii: "\""))
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
