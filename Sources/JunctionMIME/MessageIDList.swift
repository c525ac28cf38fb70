/// Message ids in `Message-ID`, `In-Reply-To` and `References` (RFC 5322 §3.6.4).
public enum MessageIDList {
  /// The ids in `value`, without angle brackets, whitespace inside brackets removed, in
  /// order; comments and text outside brackets (`In-Reply-To: <id> (Ivan's message of …)`)
  /// are ignored. A value without any bracket is read as whitespace- or comma-separated ids
  /// (some mailers forget them).
  public static func parse(_ value: String) -> [String] {
    let bytes = Array(value.utf8)
    var ids: [String] = []
    var index = 0
    var sawBracket = false
    while index < bytes.count {
      switch bytes[index] {
      case 0x28:
        index = skipComment(bytes, from: index)
      case 0x22:
        index += 1
        while index < bytes.count && bytes[index] != 0x22 { index += 1 }
        index += 1
      case 0x3C:
        sawBracket = true
        var id: [UInt8] = []
        index += 1
        while index < bytes.count && bytes[index] != 0x3E && bytes[index] != 0x3C {
          if !String.isASCIIWhitespace(bytes[index]) { id.append(bytes[index]) }
          index += 1
        }
        if index < bytes.count && bytes[index] == 0x3E { index += 1 }
        if !id.isEmpty { ids.append(String(decoding: id, as: UTF8.self)) }
      default:
        index += 1
      }
    }
    if sawBracket { return ids }
    var text: [UInt8] = []
    index = 0
    while index < bytes.count {
      if bytes[index] == 0x28 {
        index = skipComment(bytes, from: index)
        text.append(0x20)
      } else {
        text.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: text, as: UTF8.self)
      .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" || $0 == "\n" })
      .map(String.init)
  }

  /// The index after the comment opening at `start` (nesting counted).
  static func skipComment(_ bytes: [UInt8], from start: Int) -> Int {
    var depth = 0
    var index = start
    while index < bytes.count {
      switch bytes[index] {
      case 0x5C: index += 1
      case 0x28: depth += 1
      case 0x29:
        depth -= 1
        if depth == 0 { return index + 1 }
      default: break
      }
      index += 1
    }
    return bytes.count
  }
}
