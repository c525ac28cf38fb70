/// Mailbox names as IMAP and libcurl's IMAP URLs want them: modified UTF-7 (RFC 3501
/// §5.1.3), quoted for commands, percent-encoded for URL paths.
public enum IMAPMailboxName {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

  /// The modified UTF-7 form: printable ASCII stands for itself (`&` as `&-`), runs of other
  /// characters become `&` + base64 of their UTF-16 (with `,` for `/`, no padding) + `-`.
  /// `Обработано` → `&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-`.
  public static func encode(_ name: String) -> String {
    var output: [UInt8] = []
    var pending: [UInt16] = []
    func flush() {
      guard !pending.isEmpty else { return }
      output.append(UInt8(ascii: "&"))
      output.append(contentsOf: base64(pending.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }))
      output.append(UInt8(ascii: "-"))
      pending = []
    }
    for scalar in name.unicodeScalars {
      if scalar.value >= 0x20 && scalar.value <= 0x7E {
        flush()
        output.append(UInt8(scalar.value))
        if scalar == "&" { output.append(UInt8(ascii: "-")) }
      } else {
        pending.append(contentsOf: String(scalar).utf16)
      }
    }
    flush()
    return String(decoding: output, as: UTF8.self)
  }

  /// The name a modified UTF-7 form stands for; nil when it is malformed (bad base64, a
  /// shifted run that encodes ASCII, unpaired surrogates, raw 8-bit bytes).
  public static func decode(_ encoded: String) -> String? {
    let bytes = Array(encoded.utf8)
    var result = ""
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard byte >= 0x20 && byte <= 0x7E else { return nil }
      guard byte == UInt8(ascii: "&") else {
        result.unicodeScalars.append(Unicode.Scalar(byte))
        index += 1
        continue
      }
      guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "-")) else { return nil }
      if end == index + 1 {
        result += "&"
      } else {
        guard let decoded = decodeBase64(bytes[(index + 1)..<end]), decoded.count % 2 == 0
        else { return nil }
        var units: [UInt16] = []
        for pair in stride(from: 0, to: decoded.count, by: 2) {
          units.append(UInt16(decoded[pair]) << 8 | UInt16(decoded[pair + 1]))
        }
        guard !units.contains(where: { $0 >= 0x20 && $0 <= 0x7E }),
          let text = String(validating: units, as: UTF16.self)
        else { return nil }
        result += text
      }
      index = end + 1
    }
    return result
  }

  /// The name as an IMAP quoted string of its modified UTF-7 form, for custom commands:
  /// `"Processed"`, `"&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-"`.
  public static func quoted(_ name: String) -> String {
    var text = "\""
    for character in encode(name) {
      if character == "\\" || character == "\"" { text.append("\\") }
      text.append(character)
    }
    return text + "\""
  }

  /// The name as one percent-encoded URL path segment of its modified UTF-7 form (libcurl
  /// decodes the path before it sends the name): `INBOX`, `%26BB4EMQ…-`.
  public static func urlPath(_ name: String) -> String {
    var text = ""
    for byte in encode(name).utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        text.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        text += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
      }
    }
    return text
  }

  private static func base64(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      var value = 0
      for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
      let characters = chunk.count + 1
      for position in 0..<characters {
        output.append(alphabet[(value >> (18 - 6 * position)) & 63])
      }
      index += 3
    }
    return output
  }

  private static func decodeBase64(_ characters: ArraySlice<UInt8>) -> [UInt8]? {
    var output: [UInt8] = []
    var buffer = 0
    var bits = 0
    for character in characters {
      guard let value = alphabet.firstIndex(of: character) else { return nil }
      buffer = (buffer << 6) | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8((buffer >> bits) & 0xFF))
      }
    }
    // Leftover bits are padding and must be zero (RFC 3501: no padding characters).
    guard bits < 6, buffer & ((1 << bits) - 1) == 0 else { return nil }
    return output
  }
}
