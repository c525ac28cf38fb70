/// A tag (or comment, doctype, processing instruction) read from HTML.
struct HTMLTag {
  /// Lowercased element name; empty for comments and declarations.
  var name: String
  var isClosing: Bool
  /// The index after the tag.
  var end: Int
  /// The raw attribute text.
  var attributes: ArraySlice<UInt8>

  /// Reads the tag at `index` (which holds `<`), or nil when `<` starts no tag.
  static func read(_ bytes: [UInt8], at index: Int) -> HTMLTag? {
    var cursor = index + 1
    guard cursor < bytes.count else { return nil }
    if bytes[cursor] == 0x21 {  // "<!"
      if bytes[cursor...].starts(with: [0x21, 0x2D, 0x2D]) {
        var scan = cursor + 3
        while scan + 2 < bytes.count
          && !(bytes[scan] == 0x2D && bytes[scan + 1] == 0x2D && bytes[scan + 2] == 0x3E)
        {
          scan += 1
        }
        return HTMLTag(name: "", isClosing: false, end: min(scan + 3, bytes.count), attributes: [])
      }
      return HTMLTag(name: "", isClosing: false, end: skipTo(bytes, cursor), attributes: [])
    }
    if bytes[cursor] == 0x3F {  // "<?"
      return HTMLTag(name: "", isClosing: false, end: skipTo(bytes, cursor), attributes: [])
    }
    var closing = false
    if bytes[cursor] == 0x2F {
      closing = true
      cursor += 1
    }
    let nameStart = cursor
    while cursor < bytes.count, isNameByte(bytes[cursor]) { cursor += 1 }
    guard cursor > nameStart, (bytes[nameStart] | 0x20) >= 0x61, (bytes[nameStart] | 0x20) <= 0x7A
    else { return nil }
    let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self).asciiLowercased()
    let attributesStart = cursor
    var quote: UInt8 = 0
    var end = bytes.count
    while cursor < bytes.count {
      let byte = bytes[cursor]
      if quote != 0 {
        if byte == quote { quote = 0 }
      } else if byte == 0x22 || byte == 0x27 {
        quote = byte
      } else if byte == 0x3E {
        end = cursor + 1
        break
      } else if byte == 0x3C {
        end = cursor  // an unclosed tag ends where the next one starts
        break
      }
      cursor += 1
    }
    return HTMLTag(
      name: name, isClosing: closing, end: end, attributes: bytes[attributesStart..<cursor])
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    let lower = byte | 0x20
    return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
  }

  static func skipTo(_ bytes: [UInt8], _ start: Int) -> Int {
    var cursor = start
    while cursor < bytes.count && bytes[cursor] != 0x3E { cursor += 1 }
    return min(cursor + 1, bytes.count)
  }

  /// The value of attribute `wanted` (lowercase), entities decoded, or nil.
  func attribute(_ wanted: String) -> String? {
    let bytes = Array(attributes)
    var index = 0
    while index < bytes.count {
      while index < bytes.count && !HTMLTag.isNameByte(bytes[index]) { index += 1 }
      let nameStart = index
      while index < bytes.count && HTMLTag.isNameByte(bytes[index]) { index += 1 }
      let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).asciiLowercased()
      while index < bytes.count
        && (bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
          || bytes[index] == 0x0D)
      { index += 1 }
      guard index < bytes.count, bytes[index] == 0x3D else { continue }
      index += 1
      while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
      var valueEnd = index
      var valueStart = index
      if index < bytes.count && (bytes[index] == 0x22 || bytes[index] == 0x27) {
        let quote = bytes[index]
        valueStart = index + 1
        valueEnd = valueStart
        while valueEnd < bytes.count && bytes[valueEnd] != quote { valueEnd += 1 }
        index = min(valueEnd + 1, bytes.count)
      } else {
        while valueEnd < bytes.count && bytes[valueEnd] > 0x20 && bytes[valueEnd] != 0x3E {
          valueEnd += 1
        }
        index = valueEnd
      }
      if name == wanted {
        let raw = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
        return raw.contains("&") ? HTMLText.plainText(fromHTML: raw) : raw
      }
    }
    return nil
  }
}
