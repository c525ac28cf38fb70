/// A mailbox from an address header: display name and `local@domain`.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
  /// The display name, RFC 2047 encoded words decoded; nil when there is none. For the old
  /// form `user@example.com (Ivan Petrov)` the comment is taken as the name.
  public var name: String?
  /// The addr-spec, `local@domain`, as written (a quoted local part keeps its quotes).
  public var address: String
  /// The group the address was listed in (`Team: a@x, b@y;`), if any.
  public var group: String?

  /// An address `local@domain`, with an optional display name and group.
  public init(_ address: String, name: String? = nil, group: String? = nil) {
    self.address = address
    self.name = name
    self.group = group
  }

  /// The part after the last `@`, lowercased (empty when there is none).
  public var domain: String {
    guard let at = address.lastIndex(of: "@") else { return "" }
    return address[address.index(after: at)...].lowercased()
  }

  /// The part before the last `@` (the whole address when there is none).
  public var localPart: String {
    guard let at = address.lastIndex(of: "@") else { return address }
    return String(address[..<at])
  }

  /// `Name <local@domain>` or `local@domain`, for logs and display (not MIME-encoded).
  public var description: String {
    guard let name, !name.isEmpty else { return address }
    return "\(name) <\(address)>"
  }

  /// The first address of an address header value, or nil.
  public static func parse(_ value: String) -> MailAddress? { parseList(value).first }

  /// Every address of an address header value (RFC 5322 §3.4 with the obsolete forms):
  /// name-addr and bare addr-spec, quoted names, comments, groups (members flattened, each
  /// tagged with the group's name), routes (`<@relay:user@host>`, route dropped), empty
  /// entries skipped, and broken forms such as `Name user@host` read as well as they can.
  public static func parseList(_ value: String) -> [MailAddress] {
    let tokens = HeaderLexer.tokenize(value)
    var result: [MailAddress] = []
    var phrase: [HeaderLexer.Token] = []
    var comments: [String] = []
    var group: String?
    var index = 0
    func emit(angle: [HeaderLexer.Token]?) {
      defer {
        phrase.removeAll()
        comments.removeAll()
      }
      var address: String
      var nameTokens = phrase
      if var inner = angle {
        if let colon = inner.lastIndex(where: { $0.isSpecial(0x3A) }) {
          inner.removeSubrange(...colon)
        }
        address = addrSpec(inner[...])
      } else {
        guard let at = phrase.lastIndex(where: { $0.isSpecial(0x40) }) else {
          if phrase.count == 1 && phrase[0].kind == .atom {
            result.append(MailAddress(phrase[0].text, name: commentName(comments), group: group))
          }
          return
        }
        // Tokens touching the "@", or joined to it by dots (obsolete `jdoe@test . example`).
        func joined(_ left: HeaderLexer.Token, _ right: HeaderLexer.Token) -> Bool {
          !right.spaceBefore || left.text.hasSuffix(".") || right.text.hasPrefix(".")
        }
        var start = at
        while start > 0 && phrase[start - 1].kind != .special
          && joined(phrase[start - 1], phrase[start])
        {
          start -= 1
        }
        var end = at + 1
        while end < phrase.count && phrase[end].kind != .special
          && (end == at + 1 || joined(phrase[end - 1], phrase[end]))
        {
          end += 1
        }
        address = addrSpec(phrase[start..<end])
        nameTokens = Array(phrase[..<start])
      }
      address = address.trimmingASCIIWhitespace()
      guard !address.isEmpty else { return }
      let name = phraseText(nameTokens) ?? commentName(comments)
      result.append(MailAddress(address, name: name, group: group))
    }
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      switch token.kind {
      case .comment:
        comments.append(token.text)
        continue
      case .special:
        break
      default:
        phrase.append(token)
        continue
      }
      switch token.text {
      case "<":
        var inner: [HeaderLexer.Token] = []
        while index < tokens.count && !tokens[index].isSpecial(0x3E) {
          if tokens[index].kind != .comment { inner.append(tokens[index]) }
          index += 1
        }
        index += 1
        while index < tokens.count && !tokens[index].isSpecial(0x2C)
          && !tokens[index].isSpecial(0x3B)
        {
          if tokens[index].kind == .comment { comments.append(tokens[index].text) }
          index += 1
        }
        emit(angle: inner)
      case ":" where group == nil && !phrase.isEmpty:
        group = phraseText(phrase)
        phrase.removeAll()
        comments.removeAll()
      case ",":
        emit(angle: nil)
      case ";":
        emit(angle: nil)
        group = nil
      default:
        phrase.append(token)
      }
    }
    emit(angle: nil)
    return result
  }

  /// The display name made of `tokens`, spaced as written, encoded words decoded.
  static func phraseText(_ tokens: [HeaderLexer.Token]) -> String? {
    var text = ""
    for token in tokens {
      if token.spaceBefore && !text.isEmpty { text += " " }
      text += token.text
    }
    let decoded = EncodedWord.decode(text).trimmingASCIIWhitespace()
    return decoded.isEmpty ? nil : decoded
  }

  static func commentName(_ comments: [String]) -> String? {
    guard let last = comments.last else { return nil }
    let decoded = EncodedWord.decode(last).trimmingASCIIWhitespace()
    return decoded.isEmpty ? nil : decoded
  }

  /// Joins addr-spec tokens without spaces; a quoted local part is re-quoted when it needs it.
  static func addrSpec(_ tokens: ArraySlice<HeaderLexer.Token>) -> String {
    var text = ""
    for token in tokens {
      if token.kind == .quoted {
        let plain = !token.text.isEmpty && token.text.utf8.allSatisfy(HeaderLexer.isAtext)
        text += plain ? token.text : "\"" + token.text.quotedEscaped + "\""
      } else {
        text += token.text
      }
    }
    return text
  }
}
