/// Reads the server lines libcurl hands over (its header callback sees every IMAP response
/// line, untagged and tagged). Pure functions over captured text, tolerant of anything: lines
/// that do not parse are skipped.
public enum IMAPResponseParser {
  /// The mailbox state from SELECT/EXAMINE responses; where several are present (libcurl's
  /// own SELECT, then ours) the last value of each wins.
  public static func mailboxStatus(_ lines: [String]) -> IMAPMailboxStatus {
    var status = IMAPMailboxStatus()
    for line in lines {
      let words = untaggedWords(line)
      if words.count >= 2, words[1].uppercased() == "EXISTS", let count = Int(words[0]) {
        status.exists = count
      } else if words.first?.uppercased() == "OK", let code = responseCode(line) {
        let parts = code.split(separator: " ")
        guard parts.count == 2, let value = UInt32(parts[1]) else { continue }
        switch parts[0].uppercased() {
        case "UIDVALIDITY": status.uidValidity = value
        case "UIDNEXT": status.uidNext = value
        default: break
        }
      }
    }
    return status
  }

  /// The mailbox state from a `* STATUS name (MESSAGES n UIDNEXT n UIDVALIDITY n)` line.
  public static func statusResponse(_ lines: [String]) -> IMAPMailboxStatus? {
    for line in lines.reversed() {
      let words = untaggedWords(line)
      guard words.first?.uppercased() == "STATUS", let open = line.lastIndex(of: "("),
        let close = line.lastIndex(of: ")"), open < close
      else { continue }
      let items = line[line.index(after: open)..<close].split(separator: " ")
      var status = IMAPMailboxStatus()
      for pair in stride(from: 0, to: items.count - 1, by: 2) {
        let value = items[pair + 1]
        switch items[pair].uppercased() {
        case "MESSAGES": status.exists = Int(value)
        case "UIDNEXT": status.uidNext = UInt32(value)
        case "UIDVALIDITY": status.uidValidity = UInt32(value)
        default: break
        }
      }
      return status
    }
    return nil
  }

  /// Every number of `* SEARCH …` lines, in order, without duplicates.
  public static func searchResults(_ lines: [String]) -> [UInt32] {
    var seen = Set<UInt32>()
    var numbers: [UInt32] = []
    for line in lines {
      let words = untaggedWords(line)
      guard words.first?.uppercased() == "SEARCH" else { continue }
      for word in words.dropFirst() {
        guard let number = UInt32(word), seen.insert(number).inserted else { continue }
        numbers.append(number)
      }
    }
    return numbers
  }

  /// The capabilities of the last `* CAPABILITY …` line or `[CAPABILITY …]` code, upper-cased;
  /// nil when there is none.
  public static func capabilities(_ lines: [String]) -> Set<String>? {
    var result: Set<String>?
    for line in lines {
      let words = untaggedWords(line)
      if words.first?.uppercased() == "CAPABILITY" {
        result = Set(words.dropFirst().map { $0.uppercased() })
      } else if let code = responseCode(line), code.uppercased().hasPrefix("CAPABILITY ") {
        result = Set(code.split(separator: " ").dropFirst().map { $0.uppercased() })
      }
    }
    return result
  }

  /// The mailbox names of `* LIST (flags) "sep" name` lines, decoded from modified UTF-7.
  public static func listedMailboxes(_ lines: [String]) -> [String] {
    var names: [String] = []
    for line in lines {
      guard untaggedWords(line).first?.uppercased() == "LIST",
        let flagsEnd = line.firstIndex(of: ")")
      else { continue }
      var rest = Substring(line[line.index(after: flagsEnd)...]).drop { $0 == " " }
      guard readAtomOrQuoted(&rest) != nil else { continue }
      rest = rest.drop { $0 == " " }
      guard let raw = readAtomOrQuoted(&rest) else { continue }
      names.append(IMAPMailboxName.decode(raw) ?? raw)
    }
    return names
  }

  /// The last tagged completion line (`A004 OK …`, `A004 NO [CODE] …`).
  public static func taggedCompletion(_ lines: [String]) -> IMAPTaggedCompletion? {
    for line in lines.reversed() {
      let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
      guard words.count >= 2, let first = words[0].first, first != "*", first != "+",
        words[0].allSatisfy({ $0.isLetter || $0.isNumber })
      else { continue }
      let status = words[1].uppercased()
      guard status == "OK" || status == "NO" || status == "BAD" else { continue }
      let text = line.dropFirst(words[0].count + 1)
      return IMAPTaggedCompletion(status: status, code: responseCode(line), text: String(text))
    }
    return nil
  }

  /// The words after `* ` of an untagged line; empty for other lines.
  static func untaggedWords(_ line: String) -> [Substring] {
    guard line.hasPrefix("* ") else { return [] }
    return line.dropFirst(2).split(separator: " ")
  }

  /// The bracketed response code of `* OK [UIDNEXT 4] …` or `A1 NO [ALREADYEXISTS] …`.
  static func responseCode(_ line: String) -> String? {
    guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]")
    else { return nil }
    return String(line[line.index(after: open)..<close])
  }

  /// Reads an atom or a quoted string (with `\` escapes) from the front of `text`.
  static func readAtomOrQuoted(_ text: inout Substring) -> String? {
    guard let first = text.first else { return nil }
    if first == "\"" {
      var value = ""
      var index = text.index(after: text.startIndex)
      while index < text.endIndex {
        let character = text[index]
        if character == "\\" {
          index = text.index(after: index)
          guard index < text.endIndex else { return nil }
          value.append(text[index])
        } else if character == "\"" {
          text = text[text.index(after: index)...]
          return value
        } else {
          value.append(character)
        }
        index = text.index(after: index)
      }
      return nil
    }
    let end = text.firstIndex(of: " ") ?? text.endIndex
    let atom = String(text[..<end])
    text = text[end...]
    return atom.isEmpty ? nil : atom
  }
}
