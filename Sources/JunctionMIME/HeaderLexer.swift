/// Splits a structured header value (RFC 5322 §3.2) into tokens: atoms, quoted strings,
/// comments, domain literals and specials. Unterminated quotes, comments and literals run to
/// the end; nested comments are counted, not recursed into.
struct HeaderLexer {
  enum Kind: Equatable {
    /// A run of atext (dots included, as the obsolete phrase syntax allows).
    case atom
    /// A quoted string, content unescaped.
    case quoted
    /// A comment, content unescaped, outer parentheses removed.
    case comment
    /// `[…]` including the brackets.
    case domainLiteral
    /// One of `< > @ , ; : \`.
    case special
  }

  struct Token: Equatable {
    var kind: Kind
    var text: String
    /// Whether whitespace (or a comment) came before the token.
    var spaceBefore: Bool

    func isSpecial(_ character: UInt8) -> Bool {
      kind == .special && text.utf8.first == character
    }
  }

  static func tokenize(_ value: String) -> [Token] {
    let bytes = Array(value.utf8)
    var tokens: [Token] = []
    var index = 0
    var space = false
    func add(_ kind: Kind, _ range: Range<Int>) {
      tokens.append(
        Token(kind: kind, text: String(decoding: bytes[range], as: UTF8.self), spaceBefore: space))
      space = false
    }
    func addUnescaped(_ kind: Kind, _ content: [UInt8]) {
      tokens.append(
        Token(kind: kind, text: String(decoding: content, as: UTF8.self), spaceBefore: space))
      space = false
    }
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x20, 0x09, 0x0D, 0x0A:
        space = true
        index += 1
      case 0x22:  // quoted string
        var content: [UInt8] = []
        index += 1
        while index < bytes.count && bytes[index] != 0x22 {
          if bytes[index] == 0x5C && index + 1 < bytes.count { index += 1 }
          if bytes[index] != 0x0D && bytes[index] != 0x0A { content.append(bytes[index]) }
          index += 1
        }
        index += 1
        addUnescaped(.quoted, content)
      case 0x28:  // comment
        var depth = 1
        var content: [UInt8] = []
        index += 1
        while index < bytes.count {
          let current = bytes[index]
          if current == 0x5C && index + 1 < bytes.count {
            content.append(bytes[index + 1])
            index += 2
            continue
          }
          if current == 0x28 { depth += 1 }
          if current == 0x29 {
            depth -= 1
            if depth == 0 { break }
          }
          content.append(current)
          index += 1
        }
        index += 1
        addUnescaped(.comment, content)
        space = true
      case 0x5B:  // domain literal
        let start = index
        while index < bytes.count && bytes[index] != 0x5D { index += 1 }
        index = min(index + 1, bytes.count)
        add(.domainLiteral, start..<index)
      case 0x3C, 0x3E, 0x40, 0x2C, 0x3B, 0x3A, 0x5C, 0x29:
        add(.special, index..<index + 1)
        index += 1
      default:
        let start = index
        while index < bytes.count && isAtext(bytes[index]) { index += 1 }
        if index == start {  // a stray "]" or control character
          index += 1
          add(.special, start..<index)
        } else {
          add(.atom, start..<index)
        }
      }
    }
    return tokens
  }

  /// atext, dots and any 8-bit byte (raw UTF-8 names are common in real mail).
  static func isAtext(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x20, 0x09, 0x0D, 0x0A, 0x22, 0x28, 0x29, 0x3C, 0x3E, 0x40, 0x2C, 0x3B, 0x3A, 0x5C,
      0x5B, 0x5D:
      return false
    default:
      return byte > 0x20 && byte != 0x7F
    }
  }
}
