import Foundation

@testable import JunctionMIME

/// Seeded random messages for round-trip and cross-check tests: text mixing ASCII, Cyrillic,
/// accents, emoji, combining marks, quotes and things that look like MIME syntax.
struct RandomMail {
  var generator: SeededGenerator

  static let pieces = [
    "Привет", "мир", "Ёжик", "заказ №15", "счёт-фактура", "café", "Grüße", "🙂", "👍🏽", "e\u{301}",
    "\"quoted\"", "=?utf-8?B?", "?=", "a,b", "<x>", "(c)", "tab\there", "100%", "O'Brien", "_",
    "==", ";", ":", "\\", "word", "Order", "12345",
    "long-word-without-any-spaces-at-all-for-folding",
  ]

  init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

  mutating func pick(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(generator.next() % UInt64(range.count))
  }

  mutating func phrase(words: ClosedRange<Int>) -> String {
    (0..<pick(words)).map { _ in Self.pieces[pick(0...(Self.pieces.count - 1))] }
      .joined(separator: pick(0...5) == 0 ? "  " : " ")
  }

  mutating func builder() -> MailBuilder {
    var mail = MailBuilder(
      from: MailAddress("sender@example.com", name: phrase(words: 1...6)),
      to: [MailAddress("to@example.ru", name: phrase(words: 0...3))], subject: phrase(words: 0...25)
    )
    mail.messageID = "r\(generator.next())@example.com"
    mail.text = (0..<pick(1...8)).map { _ in phrase(words: 0...30) }.joined(separator: "\n")
    if pick(0...1) == 1 { mail.html = "<p>" + phrase(words: 1...10) + "</p>" }
    for _ in 0..<pick(0...3) {
      let name = phrase(words: 1...8).replacingOccurrences(of: "\t", with: " ") + ".bin"
      let data = (0..<pick(0...3000)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      mail.attachments.append(
        .init(filename: name, contentType: "application/octet-stream", data: data))
    }
    return mail
  }
}
