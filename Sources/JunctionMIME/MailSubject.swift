/// Subject lines of replies: reply and forward prefixes in the languages customers write in.
public enum MailSubject {
  /// Prefixes removed by ``stripPrefixes(_:)`` (compared case-insensitively, before a colon,
  /// optionally with a counter such as `Re[2]` or `RE(3)`, and with a space before the colon
  /// as French clients write it).
  static let prefixes: Set<String> = [
    "re", "fw", "fwd", "ответ", "отв", "на", "пересл", "aw", "wg", "sv", "vs", "antw", "tr",
    "rv", "enc", "odp", "res", "ynt", "rif",
  ]

  /// `subject` without leading `Re:`, `RE:`, `Fwd:`, `FW:`, `Ответ:`, `На:`, `AW:`,
  /// `Re[2]:`, … (any number of them, in any mix), and without surrounding spaces.
  public static func stripPrefixes(_ subject: String) -> String {
    var rest = Substring(subject.trimmingCharacters())
    while true {
      guard let colon = rest.firstIndex(where: { $0 == ":" || $0 == "：" }) else { break }
      var word = rest[..<colon]
      while word.last == " " { word = word.dropLast() }
      if let bracket = word.firstIndex(where: { $0 == "[" || $0 == "(" }),
        word.last == "]" || word.last == ")",
        word[word.index(after: bracket)..<word.index(before: word.endIndex)].allSatisfy(\.isNumber)
      {
        word = word[..<bracket]
      }
      guard !word.isEmpty, word.count <= 7, prefixes.contains(word.lowercased()) else { break }
      rest = rest[rest.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
    }
    return String(rest)
  }

  /// Whether `subject` starts with a reply or forward prefix.
  public static func hasPrefix(_ subject: String) -> Bool {
    stripPrefixes(subject) != subject.trimmingCharacters()
  }

  /// The subject of a reply: `Re: ` + the original without prefixes, with the conversation
  /// token appended when given (and not already there).
  public static func reply(to subject: String?, token: String? = nil) -> String {
    let base = stripPrefixes(subject ?? "")
    let reply = base.isEmpty ? "Re:" : "Re: \(base)"
    guard let token else { return reply }
    return ConversationToken.add(token, to: reply)
  }
}
