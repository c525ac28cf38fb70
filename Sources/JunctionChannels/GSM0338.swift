/// The GSM 03.38 (3GPP TS 23.038) 7-bit default alphabet: which characters an SMS can carry
/// in GSM-7 and what each costs.
///
/// The basic table holds 128 code points (one septet each; 0x1B is the escape to the
/// extension table, not a character). The extension table's characters are sent as
/// ESC + code and so cost two septets. Anything else forces the whole message into UCS-2.
/// National language shift tables (TS 23.038 Annex A) are not used: providers rarely
/// support them and they shrink every segment.
public enum GSM0338 {
  /// The basic table, indexed by code point; 0x1B (ESC) is a placeholder.
  static let basicTable: [Unicode.Scalar] = Array(
    ("@£$¥èéùìòÇ\nØø\rÅå"
      + "\u{0394}_\u{03A6}\u{0393}\u{039B}\u{03A9}\u{03A0}\u{03A8}"
      + "\u{03A3}\u{0398}\u{039E}\u{1B}ÆæßÉ"
      + " !\"#¤%&'()*+,-./"
      + "0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNO"
      + "PQRSTUVWXYZÄÖÑÜ§"
      + "¿abcdefghijklmno"
      + "pqrstuvwxyzäöñüà").unicodeScalars)

  /// The extension table: code after ESC → character.
  static let extensionTable: [(code: UInt8, scalar: Unicode.Scalar)] = [
    (0x0A, "\u{0C}"), (0x14, "^"), (0x28, "{"), (0x29, "}"), (0x2F, "\\"), (0x3C, "["),
    (0x3D, "~"), (0x3E, "]"), (0x40, "|"), (0x65, "€"),
  ]

  private static let basic: [Unicode.Scalar: UInt8] = {
    var map: [Unicode.Scalar: UInt8] = [:]
    for (code, scalar) in basicTable.enumerated() where code != 0x1B {
      map[scalar] = UInt8(code)
    }
    return map
  }()

  private static let extended: [Unicode.Scalar: UInt8] = {
    var map: [Unicode.Scalar: UInt8] = [:]
    for entry in extensionTable { map[entry.scalar] = entry.code }
    return map
  }()

  /// Septets of the ASCII characters (0: not in GSM-7), the common case, without hashing.
  private static let asciiSeptets: [UInt8] = (0..<128).map { value in
    let scalar = Unicode.Scalar(UInt8(value))
    if basic[scalar] != nil { return 1 }
    return extended[scalar] != nil ? 2 : 0
  }

  /// Septets `scalar` costs in GSM-7: 1 for the basic table, 2 for the extension table
  /// (ESC + code), nil when GSM-7 cannot carry it.
  public static func septets(_ scalar: Unicode.Scalar) -> Int? {
    if scalar.value < 128 {
      let septets = asciiSeptets[Int(scalar.value)]
      return septets == 0 ? nil : Int(septets)
    }
    if basic[scalar] != nil { return 1 }
    if extended[scalar] != nil { return 2 }
    return nil
  }

  /// Whether every character of `text` fits GSM-7.
  public static func canEncode(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { septets($0) != nil }
  }

  /// The septets of `text` (ESC 0x1B before extension characters), or nil when a character
  /// does not fit GSM-7. Unpacked: one septet per byte.
  public static func encode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if let code = basic[scalar] {
        out.append(code)
      } else if let code = extended[scalar] {
        out += [0x1B, code]
      } else {
        return nil
      }
    }
    return out
  }
}
