import Foundation

/// A character set named in a MIME `charset` parameter or an RFC 2047 encoded word, with the
/// decoding of bytes written in it.
///
/// Labels are matched case-insensitively ignoring punctuation, with the usual aliases
/// (`cp1251`, `win-1251`, `koi8r`, `latin1`, `utf8`, `x-cp1251`, …). The Cyrillic and Western
/// single-byte charsets and UTF-8/UTF-16 are decoded by JunctionMIME itself; the CJK and other
/// ISO/Windows charsets go through Foundation. `iso-8859-1` is decoded as its superset
/// windows-1252, as browsers do, because mail labelled latin-1 routinely carries cp1252 quotes.
/// Decoding never fails: undecodable bytes become U+FFFD or are decoded by ``guess(_:)``.
public struct Charset: Sendable, Hashable, CustomStringConvertible {
  /// The canonical lowercase name (`windows-1251`, `koi8-r`, `utf-8`).
  public let name: String
  let decoder: Decoder

  enum Decoder: Sendable, Hashable {
    case ascii
    case utf8
    case table(Table)
    /// `nil` reads a byte-order mark or guesses (big-endian when in doubt, per RFC 2781).
    case utf16(bigEndian: Bool?)
    case foundation(UInt)
  }

  enum Table: Sendable, Hashable {
    case windows1251, koi8R, koi8U, iso8859_5, cp866, windows1252, macCyrillic, iso8859_2
    case windows1250, iso8859_15

    var codePoints: [UInt16] {
      switch self {
      case .windows1251: return SingleByteTables.windows1251
      case .koi8R: return SingleByteTables.koi8R
      case .koi8U: return SingleByteTables.koi8U
      case .iso8859_5: return SingleByteTables.iso8859_5
      case .cp866: return SingleByteTables.cp866
      case .windows1252: return SingleByteTables.windows1252
      case .macCyrillic: return SingleByteTables.macCyrillic
      case .iso8859_2: return SingleByteTables.iso8859_2
      case .windows1250: return SingleByteTables.windows1250
      case .iso8859_15: return SingleByteTables.iso8859_15
      }
    }
  }

  init(name: String, decoder: Decoder) {
    self.name = name
    self.decoder = decoder
  }

  /// The charset a label names, or nil when the label is unknown.
  public init?(_ label: String) {
    var key = Self.normalize(label)
    if Self.registry[key] == nil, key.hasPrefix("x") { key.removeFirst() }
    guard let found = Self.registry[key] else { return nil }
    self = found
  }

  /// UTF-8 (a leading byte-order mark is dropped).
  public static let utf8 = Charset(name: "utf-8", decoder: .utf8)
  /// US-ASCII (8-bit bytes under this label are decoded by ``guess(_:)``).
  public static let usASCII = Charset(name: "us-ascii", decoder: .ascii)
  /// windows-1251, the Windows Cyrillic charset.
  public static let windows1251 = Charset(name: "windows-1251", decoder: .table(.windows1251))
  /// KOI8-R, the older Russian Unix charset.
  public static let koi8R = Charset(name: "koi8-r", decoder: .table(.koi8R))
  /// IBM866, the Russian DOS charset.
  public static let cp866 = Charset(name: "ibm866", decoder: .table(.cp866))
  /// windows-1252 (also used for `iso-8859-1`).
  public static let windows1252 = Charset(name: "windows-1252", decoder: .table(.windows1252))

  public var description: String { name }

  /// Decodes `bytes`; invalid sequences become U+FFFD (or, for labels that promise ASCII,
  /// the bytes are decoded by ``guess(_:)``).
  public func decode(_ bytes: ArraySlice<UInt8>) -> String {
    switch decoder {
    case .ascii:
      return Self.isASCII(bytes) ? String(decoding: bytes, as: UTF8.self) : Self.guessDecode(bytes)
    case .utf8:
      let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes
      return String(decoding: body, as: UTF8.self)
    case .table(let table):
      return Self.decodeSingleByte(bytes, table.codePoints)
    case .utf16(let bigEndian):
      return Self.decodeUTF16(bytes, bigEndian: bigEndian)
    case .foundation(let raw):
      if let text = String(data: Data(bytes), encoding: String.Encoding(rawValue: raw)) {
        return text
      }
      return Self.guessDecode(bytes)
    }
  }

  /// Decodes `bytes`.
  public func decode(_ bytes: [UInt8]) -> String { decode(bytes[...]) }

  /// Decodes bytes labelled `label` (nil when unlabelled); `recognised` is false when the
  /// label is unknown and the text was decoded by ``guess(_:)`` instead.
  public static func decode(_ bytes: ArraySlice<UInt8>, label: String?) -> (
    text: String, recognised: Bool
  ) {
    guard let label, !label.isEmpty else { return (guessDecode(bytes), true) }
    guard let charset = Charset(label) else { return (guessDecode(bytes), false) }
    return (charset.decode(bytes), true)
  }

  static func normalize(_ label: String) -> String {
    String(unsafeUninitializedCapacity: label.utf8.count) { buffer in
      var count = 0
      for byte in label.utf8 {
        switch byte {
        case 0x30...0x39, 0x61...0x7A: buffer[count] = byte
        case 0x41...0x5A: buffer[count] = byte | 0x20
        default: continue
        }
        count += 1
      }
      return count
    }
  }

  static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
    for byte in bytes where byte >= 0x80 { return false }
    return true
  }

  static func decodeSingleByte(_ bytes: ArraySlice<UInt8>, _ table: [UInt16]) -> String {
    var utf8: [UInt8] = []
    utf8.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      if byte < 0x80 {
        utf8.append(byte)
        continue
      }
      let point = UInt32(table[Int(byte) - 0x80])
      if point < 0x80 {
        utf8.append(UInt8(point))
      } else if point < 0x800 {
        utf8.append(UInt8(0xC0 | (point >> 6)))
        utf8.append(UInt8(0x80 | (point & 0x3F)))
      } else {
        utf8.append(UInt8(0xE0 | (point >> 12)))
        utf8.append(UInt8(0x80 | ((point >> 6) & 0x3F)))
        utf8.append(UInt8(0x80 | (point & 0x3F)))
      }
    }
    return String(decoding: utf8, as: UTF8.self)
  }

  static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool?) -> String {
    var body = bytes
    var big = bigEndian
    if body.starts(with: [0xFE, 0xFF]), big != false {
      big = true
      body = body.dropFirst(2)
    } else if body.starts(with: [0xFF, 0xFE]), big != true {
      big = false
      body = body.dropFirst(2)
    }
    let isBig = big ?? guessBigEndian(body)
    var units: [UInt16] = []
    units.reserveCapacity(body.count / 2)
    var index = body.startIndex
    while index + 1 < body.endIndex {
      let first = UInt16(body[index])
      let second = UInt16(body[index + 1])
      units.append(isBig ? first << 8 | second : second << 8 | first)
      index += 2
    }
    return String(decoding: units, as: UTF16.self)
  }

  /// In text of Latin or Cyrillic letters the high byte of each code unit is small; whichever
  /// position holds more small bytes is the high byte.
  static func guessBigEndian(_ bytes: ArraySlice<UInt8>) -> Bool {
    var evenSmall = 0
    var oddSmall = 0
    for (offset, byte) in bytes.prefix(4096).enumerated() where byte < 0x20 {
      if offset % 2 == 0 { evenSmall += 1 } else { oddSmall += 1 }
    }
    return evenSmall >= oddSmall
  }
}
