/// Base64 (RFC 4648), standard and URL-safe alphabets.
public enum Base64 {
  static let standard: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  static let urlSafe: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
  static let decodeStandard = table(standard)
  static let decodeURLSafe = table(urlSafe)

  static func table(_ alphabet: [UInt8]) -> [UInt8] {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
    return table
  }

  /// Encodes bytes; `padding` adds `=` to a multiple of four characters.
  public static func encode<Bytes: Collection>(
    _ bytes: Bytes, urlSafe: Bool = false, padding: Bool = true
  )
    -> String where Bytes.Element == UInt8
  {
    let alphabet = urlSafe ? Self.urlSafe : standard
    let input = Array(bytes)
    var out = [UInt8]()
    out.reserveCapacity((input.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= input.count {
      let value =
        UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
      out.append(alphabet[Int(value >> 18)])
      out.append(alphabet[Int((value >> 12) & 63)])
      out.append(alphabet[Int((value >> 6) & 63)])
      out.append(alphabet[Int(value & 63)])
      index += 3
    }
    let rest = input.count - index
    if rest > 0 {
      var value = UInt32(input[index]) << 16
      if rest == 2 { value |= UInt32(input[index + 1]) << 8 }
      out.append(alphabet[Int(value >> 18)])
      out.append(alphabet[Int((value >> 12) & 63)])
      if rest == 2 { out.append(alphabet[Int((value >> 6) & 63)]) }
      if padding { out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "="), count: 3 - rest)) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes strictly: only the alphabet's characters, padding optional but correct when
  /// present, no whitespace; nil on anything else.
  public static func decode<Text: StringProtocol>(_ text: Text, urlSafe: Bool = false) -> [UInt8]? {
    let table = urlSafe ? decodeURLSafe : decodeStandard
    var input = Array(text.utf8)
    if input.count % 4 == 0, input.last == UInt8(ascii: "=") {
      input.removeLast()
      if input.last == UInt8(ascii: "=") { input.removeLast() }
    }
    guard input.count % 4 != 1 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(input.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in input {
      let value = table[Int(byte)]
      guard value != 0xFF else { return nil }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
      }
    }
    // Leftover bits must be zero (canonical encoding).
    guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
    return out
  }
}

/// Lowercase or uppercase hexadecimal.
public enum Hex {
  public static func encode<Bytes: Collection>(_ bytes: Bytes, uppercase: Bool = false) -> String
  where Bytes.Element == UInt8 {
    let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes hex of either case; nil on odd length or a non-hex character.
  public static func decode<Text: StringProtocol>(_ text: Text) -> [UInt8]? {
    let input = Array(text.utf8)
    guard input.count % 2 == 0 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(input.count / 2)
    func nibble(_ byte: UInt8) -> UInt8? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
      default: return nil
      }
    }
    var index = 0
    while index < input.count {
      guard let high = nibble(input[index]), let low = nibble(input[index + 1]) else { return nil }
      out.append(high << 4 | low)
      index += 2
    }
    return out
  }
}
