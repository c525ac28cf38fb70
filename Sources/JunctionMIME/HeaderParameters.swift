/// A header value with parameters, as `Content-Type` and `Content-Disposition` carry them:
/// `text/plain; charset="utf-8"; format=flowed`.
///
/// Parameters follow RFC 2045 (tokens, quoted strings) and RFC 2231: extended values
/// (`name*=utf-8'ru'%D0%B0`), continuations (`name*0*=…; name*1=…`, joined in section order
/// and decoded as one byte string in the charset of section 0), and an extended value wins
/// over a plain one of the same name. Quoted values holding RFC 2047 encoded words (as
/// Outlook and many mobile clients send filenames) are decoded too.
public struct HeaderParameters: Sendable, Equatable {
  /// The value before the first `;`, lowercased and trimmed (`text/plain`, `attachment`).
  public var value: String
  /// Parameters by lowercased name, fully decoded.
  public var parameters: [String: String]

  /// A value with already decoded parameters.
  public init(value: String, parameters: [String: String] = [:]) {
    self.value = value
    self.parameters = parameters
  }

  /// The parameter `name` (case-insensitive), or nil.
  public subscript(name: String) -> String? { parameters[name.asciiLowercased()] }

  /// Parses a header value with parameters; never fails (junk is skipped).
  public static func parse(_ header: String) -> HeaderParameters {
    let pieces = split(Array(header.utf8))
    guard let first = pieces.first else { return HeaderParameters(value: "") }
    let main = String(decoding: first, as: UTF8.self).trimmingASCIIWhitespace().asciiLowercased()
    var plain: [String: String] = [:]
    var sections: [String: [Int: (text: String, encoded: Bool)]] = [:]
    for piece in pieces.dropFirst() {
      guard let equals = piece.firstIndex(of: 0x3D) else { continue }
      var name = String(decoding: piece[..<equals], as: UTF8.self).trimmingASCIIWhitespace()
        .asciiLowercased()
      guard !name.isEmpty else { continue }
      let text = unquote(piece[(equals + 1)...])
      var encoded = false
      if name.hasSuffix("*") {
        encoded = true
        name.removeLast()
      }
      if let star = name.lastIndex(of: "*"), let number = Int(name[name.index(after: star)...]),
        number >= 0, number < 1000
      {
        let base = String(name[..<star])
        sections[base, default: [:]][number] = (text, encoded)
      } else if encoded {
        sections[name, default: [:]][0] = (text, true)
      } else if plain[name] == nil {
        plain[name] = text
      }
    }
    var parameters: [String: String] = [:]
    for (name, text) in plain {
      parameters[name] = text.mayHoldEncodedWord ? EncodedWord.decode(text) : text
    }
    for (name, parts) in sections {
      parameters[name] = joinSections(parts)
    }
    return HeaderParameters(value: main, parameters: parameters)
  }

  /// RFC 2231 §3-4: sections in order (stopping at the first gap), encoded ones
  /// percent-decoded, the charset taken from `charset'language'` of section 0.
  static func joinSections(_ parts: [Int: (text: String, encoded: Bool)]) -> String {
    var bytes: [UInt8] = []
    var charset: String?
    var number = 0
    while let part = parts[number] {
      var text = Substring(part.text)
      if number == 0 && part.encoded {
        let apostrophes = text.indices.filter { text[$0] == "'" }
        if apostrophes.count >= 2 {
          charset = String(text[..<apostrophes[0]])
          text = text[text.index(after: apostrophes[1])...]
        }
      }
      bytes.append(contentsOf: part.encoded ? percentDecode(text) : Array(text.utf8))
      number += 1
    }
    if number == 0, let lowest = parts.keys.min(), let part = parts[lowest] {
      return part.text
    }
    let label = (charset?.isEmpty ?? true) ? nil : charset
    return Charset.decode(bytes[...], label: label).text
  }

  static func percentDecode(_ text: Substring) -> [UInt8] {
    let utf8 = Array(text.utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count)
    var index = 0
    while index < utf8.count {
      if utf8[index] == 0x25, index + 2 < utf8.count,
        let high = QuotedPrintable.hexValue(utf8[index + 1]),
        let low = QuotedPrintable.hexValue(utf8[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(utf8[index])
        index += 1
      }
    }
    return bytes
  }

  /// Splits at `;` outside quoted strings, dropping comments.
  static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var current: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x22:
        current.append(byte)
        index += 1
        while index < bytes.count && bytes[index] != 0x22 {
          if bytes[index] == 0x5C && index + 1 < bytes.count {
            current.append(bytes[index])
            index += 1
          }
          current.append(bytes[index])
          index += 1
        }
        if index < bytes.count { current.append(0x22) }
        index += 1
      case 0x28:
        index = MessageIDList.skipComment(bytes, from: index)
      case 0x3B:
        pieces.append(current[...])
        current = []
        index += 1
      default:
        current.append(byte)
        index += 1
      }
    }
    pieces.append(current[...])
    return pieces
  }

  /// A parameter value: a quoted string unescaped, or a token trimmed.
  static func unquote(_ bytes: ArraySlice<UInt8>) -> String {
    var start = bytes.startIndex
    var end = bytes.endIndex
    while start < end && String.isASCIIWhitespace(bytes[start]) { start += 1 }
    while end > start && String.isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
    guard start < end, bytes[start] == 0x22 else {
      return String(decoding: bytes[start..<end], as: UTF8.self)
    }
    var result: [UInt8] = []
    result.reserveCapacity(end - start)
    var index = start + 1
    while index < end && bytes[index] != 0x22 {
      if bytes[index] == 0x5C && index + 1 < end { index += 1 }
      result.append(bytes[index])
      index += 1
    }
    return String(decoding: result, as: UTF8.self)
  }
}
