import Foundation
import Testing

@testable import JunctionMIME

/// Messages the builder tests (and the Python cross-check) build.
enum BuilderSamples {
  static let longName =
    "Очень длинное имя вложения с кириллицей и пробелами — договор №15 от 12.04.2024.pdf"

  static func reply() -> MailBuilder {
    var mail = MailBuilder(
      from: MailAddress("support@example.com", name: "Служба поддержки «Ромашка»"),
      to: [MailAddress("ivan@example.ru", name: "Иван Петров"), MailAddress("anna@example.org")],
      subject: MailSubject.reply(
        to: "Проблема с заказом: оплата картой не проходит уже третий день подряд, помогите 🙏",
        token: "AB12CD34"))
    mail.replyTo = [MailAddress("reply+ab12cd34@example.com", name: "Support, Inc.")]
    mail.cc = [MailAddress("boss@example.com", name: "O'Brien \"The Boss\"")]
    mail.date = Date(timeIntervalSince1970: 1_711_954_800)
    mail.messageID = "out-9@example.com"
    mail.inReplyTo = "in-3@example.ru"
    mail.references = (1...12).map { "message-\($0)-with-a-fairly-long-identifier@mail.example.ru" }
    mail.autoSubmitted = true
    mail.extraHeaders = [MailHeader(name: "X-Junction-Conversation", value: "conv-1 Иван")]
    mail.text = "Здравствуйте, Иван!\n\nПроверьте, пожалуйста, ещё раз.\n-- \nПоддержка"
    mail.html =
      "<p>Здравствуйте, Иван!</p><p>Проверьте, пожалуйста, <b>ещё раз</b>.</p><img src=\"cid:logo@x\">"
    mail.attachments = [
      .init(
        filename: longName, contentType: "application/pdf",
        data: Array(repeating: 0x25, count: 3000)),
      .init(filename: "report.csv", contentType: "text/csv", data: Array("a,b\n1,2\n".utf8)),
      .init(
        filename: "logo.png", contentType: "image/png", data: [0x89, 0x50, 0x4E, 0x47],
        contentID: "logo@x"),
      .init(filename: "bad type", contentType: "not a type", data: [1, 2, 3]),
    ]
    return mail
  }

  static func textOnly() -> MailBuilder {
    var mail = MailBuilder(
      from: MailAddress("bot@example.com", name: "Bot"), to: [MailAddress("john@example.com")],
      subject: "Your order")
    mail.text = "Hello John,\nyour order has shipped.\n"
    mail.date = Date(timeIntervalSince1970: 1_711_954_800)
    return mail
  }

  static func htmlOnlyLatin() -> MailBuilder {
    var mail = MailBuilder(
      from: MailAddress("support@example.com", name: "Café Support"), to: [MailAddress("a@b.fr")],
      subject: "Réponse à votre demande")
    mail.html =
      "<p>Bonjour, votre café est prêt.</p><p>Voir <a href=\"https://x.fr/c\">la commande</a>.</p>"
    return mail
  }
}

@Suite("MailBuilder")
struct MailBuilderTests {
  func built(_ mail: MailBuilder, seed: UInt64 = 1) throws -> (String, MailMessage) {
    var generator = SeededGenerator(seed: seed)
    let bytes = try mail.build(using: &generator).bytes
    return (String(decoding: bytes, as: UTF8.self), try MIMEParser().parse(bytes))
  }

  @Test func roundTripOfAFullReply() throws {
    let mail = BuilderSamples.reply()
    let (_, parsed) = try built(mail)
    #expect(parsed.subject == mail.subject)
    #expect(parsed.from == [mail.from])
    #expect(parsed.to == mail.to && parsed.cc == mail.cc && parsed.replyTo == mail.replyTo)
    #expect(parsed.messageID == "out-9@example.com" && parsed.inReplyTo == ["in-3@example.ru"])
    #expect(parsed.references == mail.references)
    #expect(parsed.date == mail.date)
    #expect(parsed.headers["Auto-Submitted"] == "auto-replied")
    #expect(parsed.headers.text("X-Junction-Conversation") == "conv-1 Иван")
    #expect(parsed.text == mail.text! + "\n")
    #expect(parsed.html == mail.html! + "\n")
    #expect(parsed.issues.isEmpty)
    let names = parsed.attachments.map { $0.filename ?? "" }
    #expect(names == ["logo.png", BuilderSamples.longName, "report.csv", "bad type"])
    #expect(
      parsed.attachments.map(\.contentType) == [
        "image/png", "application/pdf", "text/csv", "application/octet-stream",
      ])
    #expect(parsed.attachments[0].isInline && parsed.attachments[0].contentID == "logo@x")
    for (attachment, original) in zip(
      parsed.attachments, [2, 0, 1, 3].map { mail.attachments[$0] })
    {
      #expect(attachment.data == original.data)
    }
    #expect(!parsed.isAutomatic == false, "Auto-Submitted marks the bot answer as automatic")
  }

  @Test func wireFormat() throws {
    let (text, _) = try built(BuilderSamples.reply())
    let bytes = Array(text.utf8)
    for (index, byte) in bytes.enumerated() where byte == 0x0A {
      #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)")
    }
    #expect(bytes.allSatisfy { $0 < 0x80 }, "7-bit clean")
    let lines = text.components(separatedBy: "\r\n")
    #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
    let head = text.components(separatedBy: "\r\n\r\n")[0]
    #expect(head.contains("MIME-Version: 1.0\r\n"))
    #expect(head.contains("Date: Mon, 1 Apr 2024 07:00:00 +0000\r\n"))
    #expect(head.contains("Cc: \"O'Brien \\\"The Boss\\\"\" <boss@example.com>"))
    #expect(head.contains("Reply-To: \"Support, Inc.\" <reply+ab12cd34@example.com>"))
    #expect(
      text.contains("Content-Type: multipart/mixed;") && text.contains("multipart/alternative;"))
    #expect(text.contains("multipart/related;"))
    #expect(text.contains("filename*0*=utf-8''%D0%9E"), "RFC 2231 continuation")
    #expect(text.contains("name=\"=?utf-8?"), "RFC 2047 fallback name")
  }

  @Test func encodedWordsNeverSplitACharacter() throws {
    let (text, _) = try built(BuilderSamples.reply())
    var words: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "=?utf-8?"),
      let end = rest[start.upperBound...].range(of: "?=")
    {
      words.append(String(rest[start.lowerBound..<end.upperBound]))
      rest = rest[end.upperBound...]
    }
    #expect(words.count > 5)
    for word in words {
      #expect(word.utf8.count <= 75)
      let bytes = EncodedWord.parseWord(Array(word.utf8), at: 0)?.decoded ?? []
      #expect(String(validating: bytes, as: UTF8.self) != nil, "\(word) holds a partial character")
    }
  }

  @Test func textOnlyIsOneSevenBitPart() throws {
    let (text, parsed) = try built(BuilderSamples.textOnly())
    #expect(parsed.root.children.isEmpty && parsed.root.contentType.mimeType == "text/plain")
    #expect(text.contains("Content-Transfer-Encoding: 7bit\r\n"))
    #expect(text.hasSuffix("Hello John,\r\nyour order has shipped.\r\n"))
    #expect(parsed.messageID?.hasSuffix("@example.com") == true, "generated from the From domain")
    #expect(parsed.headers["Auto-Submitted"] == nil)
  }

  @Test func transferEncodingChoice() {
    #expect(MailBuilder.textEntity("plain", subtype: "plain").header.contains("7bit"))
    #expect(
      MailBuilder.textEntity("Un café, s'il vous plaît.", subtype: "plain").header.contains(
        "quoted-printable"))
    #expect(
      MailBuilder.textEntity("Добрый день, чем могу помочь?", subtype: "plain").header.contains(
        "base64"))
    #expect(
      MailBuilder.textEntity(String(repeating: "long ascii ", count: 20), subtype: "plain").header
        .contains("quoted-printable"))
  }

  @Test func htmlOnlyGetsATextAlternative() throws {
    let (_, parsed) = try built(BuilderSamples.htmlOnlyLatin())
    #expect(parsed.root.contentType.mimeType == "multipart/alternative")
    #expect(parsed.text == "Bonjour, votre café est prêt.\n\nVoir la commande (https://x.fr/c).\n")
    #expect(parsed.from.first?.name == "Café Support")
    #expect(parsed.subject == "Réponse à votre demande")
  }

  @Test func boundaryAvoidsContent() throws {
    var first = SeededGenerator(seed: 5)
    let boundary = "=_J" + String(first.next(), radix: 16) + String(first.next(), radix: 16)
    var mail = BuilderSamples.textOnly()
    mail.messageID = "fixed@example.com"
    mail.text =
      "A line that is the boundary the generator draws first:\n--\(boundary)\n--\(boundary)--\n"
    mail.html = "<p>html</p>"
    var generator = SeededGenerator(seed: 5)
    let text = String(decoding: try mail.build(using: &generator).bytes, as: UTF8.self)
    #expect(!text.contains("boundary=\"\(boundary)\""), "the colliding boundary was skipped")
    let parsed = try MIMEParser().parse(Array(text.utf8))
    #expect(parsed.text == mail.text && parsed.html == "<p>html</p>\n")
  }

  @Test func refusesInjectionAndBadValues() throws {
    var mail = BuilderSamples.textOnly()
    mail.subject = "Hi\r\nBcc: victim@example.com"
    let (text, parsed) = try built(mail)
    #expect(!text.contains("\r\nBcc:") && parsed.headers["Bcc"] == nil)
    #expect(parsed.subject == "Hi Bcc: victim@example.com")
    for address in ["a@b.c\r\nBcc: x@y", "no-at-sign", "@x", "a@", "иван@пример.рф", "a b@c"] {
      var bad = BuilderSamples.textOnly()
      bad.to = [MailAddress(address)]
      #expect(throws: MIMEError.self) { try bad.build() }
    }
    var badID = BuilderSamples.textOnly()
    badID.inReplyTo = "a b@c"
    #expect(throws: MIMEError.invalidMessageID("a b@c")) { try badID.build() }
    var badHeader = BuilderSamples.textOnly()
    badHeader.extraHeaders = [MailHeader(name: "Bad Name", value: "x")]
    #expect(throws: MIMEError.self) { try badHeader.build() }
    badHeader.extraHeaders = [MailHeader(name: "Subject", value: "x")]
    #expect(throws: MIMEError.self) { try badHeader.build() }
  }

  @Test func bracketedIdsAreAccepted() throws {
    var mail = BuilderSamples.textOnly()
    mail.inReplyTo = "<a@b>"
    mail.references = ["<a@b>"]
    let (_, parsed) = try built(mail)
    #expect(parsed.inReplyTo == ["a@b"] && parsed.references == ["a@b"])
  }
}

@Suite("MailBuilder with random content")
struct MailBuilderRandomTests {
  /// What a reader should see: header text has line breaks and tabs as spaces and no
  /// surrounding whitespace.
  static func headerText(_ text: String) -> String {
    String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 }).trimmingCharacters()
  }

  @Test func randomMessagesRoundTrip() throws {
    var plain = MailBuilder(
      from: MailAddress("a@b.c", name: "Ivan  Petrov"), to: [], subject: "a  b")
    plain.text = "x"
    let simple = try MIMEParser().parse(plain.build().bytes)
    #expect(simple.from.first?.name == "Ivan  Petrov" && simple.subject == "a  b")
    var random = RandomMail(seed: 42)
    for _ in 0..<300 {
      let mail = random.builder()
      var generator = SeededGenerator(seed: 9)
      let bytes = try mail.build(using: &generator).bytes
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
      let parsed = try MIMEParser().parse(bytes)
      #expect(parsed.issues.isEmpty)
      #expect(Self.headerText(parsed.subject ?? "") == Self.headerText(mail.subject))
      #expect(parsed.from.first?.name == nilIfEmpty(mail.from.name?.trimmingCharacters()))
      #expect(parsed.text == mail.text.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" })
      #expect(parsed.attachments.map(\.filename) == mail.attachments.map(\.filename))
      #expect(parsed.attachments.map(\.data) == mail.attachments.map(\.data))
    }
  }
}
