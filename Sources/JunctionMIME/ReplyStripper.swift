/// The new text of a reply, with what was removed from it.
public struct StrippedReply: Sendable, Equatable {
  /// The text the sender wrote this time.
  public var text: String
  /// Whether quoted history (an attribution line, an original-message block, `>` lines)
  /// was removed.
  public var quoteStripped: Bool
  /// Whether a signature (after `-- `, or a "Sent from my iPhone" line) was removed.
  public var signatureStripped: Bool

  /// A result as ``ReplyStripper/strip(_:)`` makes it.
  public init(text: String, quoteStripped: Bool, signatureStripped: Bool) {
    self.text = text
    self.quoteStripped = quoteStripped
    self.signatureStripped = signatureStripped
  }

  /// Whether anything was removed.
  public var wasStripped: Bool { quoteStripped || signatureStripped }
}

/// Separates the new text of a reply from the quoted history and signature under it.
///
/// Cuts at the first of: an attribution line in English or Russian (`On … wrote:`,
/// `… пишет:`, `… написал(а):`, and the Gmail, Yandex and Mail.ru forms `<date> <time>, Name
/// <address>:`, including attributions wrapped over up to three lines); an
/// `-----Original Message-----` / `-----Исходное сообщение-----` separator; an Outlook
/// header block (`From:`/`От:` followed by `Sent:`/`Date:`/`Отправлено:`/`Дата:` and
/// `To:`/`Subject:`/`Кому:`/`Тема:`, with the `____` rule above it). Then drops remaining
/// lines that start with `>` (interleaved quotes), the signature after a `-- ` line, and a
/// trailing mobile signature ("Sent from my iPhone", "Отправлено с iPhone", …). Forwarded
/// messages (`---------- Forwarded message ---------`) are kept: they are what the customer
/// wants to show.
public enum ReplyStripper {
  /// Strips `text` (LF or CRLF line ends).
  public static func strip(_ text: String) -> StrippedReply {
    let normalized = MIMEPart.normalizeNewlines(text)
    var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
    var quoteStripped = false
    var signatureStripped = false
    if let cut = ReplyMarkers.historyStart(lines) {
      if lines[cut...].contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
        quoteStripped = true
      }
      lines.removeSubrange(cut...)
    }
    let beforeQuotes = lines.count
    lines.removeAll { $0.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(">") }
    if lines.count != beforeQuotes { quoteStripped = true }
    if let separator = lines.firstIndex(where: { $0 == "-- " || $0 == "--" }) {
      signatureStripped = true
      lines.removeSubrange(separator...)
    }
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    if let last = lines.last, ReplyMarkers.isMobileSignature(last) {
      signatureStripped = true
      lines.removeLast()
    }
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
    var result: [Substring] = []
    for line in lines {
      var trimmed = line
      while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
      if trimmed.isEmpty, result.last?.isEmpty ?? false { continue }
      result.append(trimmed)
    }
    return StrippedReply(
      text: result.joined(separator: "\n"), quoteStripped: quoteStripped,
      signatureStripped: signatureStripped)
  }
}
