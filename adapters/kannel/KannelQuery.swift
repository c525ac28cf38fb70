import JunctionHTTP

/// A Kannel callback's query string, kept as bytes: `%b` carries the message's raw octets
/// URL-encoded (UTF-8, UTF-16BE or Latin-1 depending on `%c`/`%C`), which must not be decoded
/// as UTF-8 before the charset is known.
struct KannelQuery {
  private var values: [String: [UInt8]] = [:]

  /// Parses `a=1&b=two+words`; `+` is a space and `%XX` a byte; malformed escapes stay
  /// literal. The first value of a repeated name wins.
  init(_ query: String) {
    for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
      let equals = pair.firstIndex(of: UInt8(ascii: "="))
      let name = FormEncoding.percentDecodedBytes(
        pair[..<(equals ?? pair.endIndex)], plusAsSpace: true)
      let value =
        equals.map {
          FormEncoding.percentDecodedBytes(pair[pair.index(after: $0)...], plusAsSpace: true)
        } ?? []
      let key = String(decoding: name, as: UTF8.self)
      if values[key] == nil { values[key] = value }
    }
  }

  /// The raw bytes of `name`.
  func bytes(_ name: String) -> [UInt8]? { values[name] }

  /// `name` as UTF-8 text (invalid sequences replaced).
  subscript(name: String) -> String? {
    values[name].map { String(decoding: $0, as: UTF8.self) }
  }

  /// The value, nil when absent or empty.
  func nonEmpty(_ name: String) -> String? {
    guard let value = self[name], !value.isEmpty else { return nil }
    return value
  }

  /// Text from a message's raw octets, by Kannel's charset (`%C`) or else coding (`%c`):
  /// UTF-16BE for UCS-2 (coding 2), Latin-1 for ISO-8859-1/WINDOWS-1252 (`mo-recode`),
  /// UTF-8 otherwise. nil for binary data (coding 1 without a text charset).
  static func text(_ bytes: [UInt8], coding: String?, charset: String?) -> String? {
    switch charset?.uppercased().replacingOccurrences(of: "_", with: "-") {
    case "UTF-16BE", "UTF-16", "UCS-2", "UCS2", "ISO-10646-UCS-2", "UNICODEBIG":
      return utf16BigEndian(bytes)
    case "ISO-8859-1", "LATIN1", "ISO8859-1", "WINDOWS-1252", "CP1252":
      return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    case "UTF-8", "UTF8":
      return String(decoding: bytes, as: UTF8.self)
    case nil, "":
      switch coding {
      case "2": return utf16BigEndian(bytes)
      case "1": return nil
      default: return String(decoding: bytes, as: UTF8.self)
      }
    default:
      // "8-BIT" and unknown charsets: binary data.
      return coding == "2" ? utf16BigEndian(bytes) : nil
    }
  }

  static func utf16BigEndian(_ bytes: [UInt8]) -> String {
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var index = 0
    while index + 1 < bytes.count {
      units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
      index += 2
    }
    return String(decoding: units, as: UTF16.self)
  }
}
