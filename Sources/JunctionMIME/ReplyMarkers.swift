/// The lines mail clients put above quoted history (and above forwarded messages, which are
/// never cut: a forward is what the customer wants to show), in English and Russian (and the
/// commonest German, French and Spanish forms).
enum ReplyMarkers {
  static let attributionEndings = [
    "wrote:", "пишет:", "написал:", "написала:", "написал(а):", "schrieb:", "a écrit :",
    "a écrit:", "escribió:",
  ]
  static let attributionStarts = ["on ", "в ", "am ", "le ", "el "]
  static let separatorWords = [
    "original message", "исходное сообщение", "ursprüngliche nachricht", "message d'origine",
    "mensaje original", "оригинальное сообщение",
  ]
  static let forwardMarkers = [
    "forwarded message", "begin forwarded message", "пересылаемое сообщение",
    "пересланное сообщение", "начало переадресованного сообщения", "weitergeleitete nachricht",
    "message transféré",
  ]
  static let fromLabels = ["from:", "от:", "von:", "de :", "de:"]
  static let dateLabels = [
    "sent:", "date:", "отправлено:", "дата:", "gesendet:", "envoyé :", "enviado:",
  ]
  static let otherLabels = [
    "to:", "subject:", "кому:", "тема:", "копия:", "cc:", "an:", "betreff:", "objet :", "asunto:",
  ]
  static let mobileSignatures = [
    "sent from my ", "sent from mail for windows", "get outlook for ", "sent from outlook",
    "sent from yahoo mail", "отправлено с iphone", "отправлено с моего ", "отправлено из ",
    "отправлено с помощью ", "sent with ", "von meinem iphone gesendet", "envoyé de mon ",
  ]

  /// Index of the first line of quoted history, or nil.
  static func historyStart(_ original: [Substring]) -> Int? {
    let lines = original.map { lowered($0).replacingStars() }
    for index in lines.indices {
      let line = lines[index]
      if line.isEmpty { continue }
      if isForwardMarker(line) { return nil }
      if isSeparator(line) { return index }
      if isRule(line), index + 1 < lines.count, isOutlookBlock(lines, from: index + 1) {
        return index
      }
      if isOutlookBlock(lines, from: index) { return index }
      if isAttribution(lines, at: index) { return index }
    }
    return nil
  }

  static func lowered(_ line: Substring) -> String {
    line.trimmingCharacters().lowercased()
  }

  /// `---------- Forwarded message ---------`, `Begin forwarded message:` and translations.
  static func isForwardMarker(_ line: String) -> Bool {
    guard line.count < 80,
      line.hasPrefix("-") || line.hasPrefix("begin ") || line.hasPrefix("начало ")
    else { return false }
    return forwardMarkers.contains { line.contains($0) }
  }

  /// `-----Original Message-----` and its translations.
  static func isSeparator(_ line: String) -> Bool {
    guard line.hasPrefix("---") || line.hasPrefix("___") || line.hasPrefix("***") else {
      return false
    }
    return separatorWords.contains { line.contains($0) }
  }

  /// Outlook's `________________________________` above the header block.
  static func isRule(_ line: String) -> Bool {
    line.count >= 10 && line.allSatisfy { $0 == "_" || $0 == "-" }
  }

  /// `From:` then, within the next four lines, a date label and a `To:`/`Subject:` label.
  static func isOutlookBlock(_ lines: [String], from start: Int) -> Bool {
    var index = start
    while index < lines.count, lines[index].isEmpty, index < start + 2 { index += 1 }
    guard index < lines.count else { return false }
    let first = lines[index]
    guard fromLabels.contains(where: { first.hasPrefix($0) }) else { return false }
    var sawDate = false
    var sawOther = false
    for next in lines[(index + 1)..<min(lines.count, index + 6)] {
      let line = next
      if dateLabels.contains(where: { line.hasPrefix($0) }) { sawDate = true }
      if otherLabels.contains(where: { line.hasPrefix($0) }) { sawOther = true }
    }
    return sawDate && sawOther
  }

  /// `On … wrote:` (possibly wrapped over three lines), `… пишет:`, or the Gmail/Yandex/
  /// Mail.ru `<date>, <time>, Name <address>:` forms.
  static func isAttribution(_ lines: [String], at index: Int) -> Bool {
    let line = lines[index]
    if attributionEndings.contains(where: { line.hasSuffix($0) }) {
      return line.contains(where: \.isNumber) || line.contains("@") || line.count < 120
    }
    if isDatedAddressLine(line) { return true }
    guard
      attributionStarts.contains(where: { line.hasPrefix($0) }) || line.contains(where: \.isNumber)
    else {
      return false
    }
    var joined = line
    for next in lines[(index + 1)..<min(lines.count, index + 3)] {
      let part = next
      if part.isEmpty || part.hasPrefix(">") { break }
      joined += " " + part
      if attributionEndings.contains(where: { joined.hasSuffix($0) })
        && attributionStarts.contains(where: { line.hasPrefix($0) })
      {
        return true
      }
      if isDatedAddressLine(joined) { return true }
    }
    return false
  }

  /// A line ending in `>:` or `@…:` that names an address and a time (`10:00`): Gmail's
  /// Russian `пн, 1 апр. 2024 г. в 10:00, Имя <a@b>:`, Yandex's `01.04.2024, 10:00, "Имя"
  /// <a@b>:`, Mail.ru's `Понедельник, 1 апреля 2024, 10:00 +03:00 от Имя <a@b>:`.
  static func isDatedAddressLine(_ line: String) -> Bool {
    guard line.hasSuffix(">:") || (line.hasSuffix(":") && line.contains("@")) else { return false }
    guard line.contains("@") else { return false }
    let characters = Array(line)
    for index in characters.indices.dropFirst().dropLast(2)
    where characters[index] == ":" && characters[index - 1].isNumber
      && characters[index + 1].isNumber && characters[index + 2].isNumber
    {
      return true
    }
    return false
  }

  static func isMobileSignature(_ line: Substring) -> Bool {
    let lower = lowered(line)
    return lower.count < 80 && mobileSignatures.contains { lower.hasPrefix($0) }
  }
}

extension StringProtocol {
  /// Trimmed of whitespace at both ends (Unicode whitespace, including no-break spaces).
  func trimmingCharacters() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }

  /// Without the `*` Outlook puts around bold labels (`*From:* …`).
  func replacingStars() -> String {
    utf8.contains(0x2A) ? String(filter { $0 != "*" }) : String(self)
  }
}
