/// Splits text longer than a channel allows into parts, on word boundaries where possible.
public enum TextSplitter {
  /// Parts of at most `maxLength` characters (Swift `Character`s, so grapheme clusters and
  /// emoji are never cut). Breaks after the last newline, else the last space, in the second
  /// half of a part; a word longer than a part is cut where it must be. Whitespace at a break
  /// is dropped. Text that fits comes back as one part.
  public static func split(_ text: String, maxLength: Int) -> [String] {
    guard maxLength > 0, text.count > maxLength else { return [text] }
    var parts: [String] = []
    var rest = Substring(text)
    while rest.count > maxLength {
      let window = rest.prefix(maxLength)
      let half = window.index(window.startIndex, offsetBy: maxLength / 2)
      var cut = window.endIndex
      if let newline = window[half...].lastIndex(where: \.isNewline) {
        cut = newline
      } else if let space = window[half...].lastIndex(where: \.isWhitespace) {
        cut = space
      }
      let part = rest[..<cut].trimmingTrailingWhitespace()
      if !part.isEmpty { parts.append(String(part)) }
      rest = rest[cut...].drop(while: \.isWhitespace)
    }
    if !rest.isEmpty { parts.append(String(rest)) }
    return parts
  }
}

extension Substring {
  fileprivate func trimmingTrailingWhitespace() -> Substring {
    var end = endIndex
    while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
    return self[startIndex..<end]
  }
}
