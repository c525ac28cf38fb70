import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

/// The `email` adapter's inbound side: every fixture of real mail → the item Junction keeps.
@Suite struct EmailAdapterTests {
  static func adapter(_ extra: JSONObject = [:], context: AdapterContext? = nil) throws
    -> EmailAdapter
  {
    var settings: JSONObject = [
      "from": "Служба поддержки <support@example.com>", "inbound_token": "s3cret-token",
      "max_message_bytes": .int(1 << 20), "poll_interval": 60.0, "batch_size": 10,
      "starttls": "required", "tls_verify": true, "timeout": 30.0,
    ]
    for (key, value) in extra { settings[key] = value }
    return try EmailAdapter(
      instance: ChannelInstanceConfig(
        id: "mail", adapter: "email", settings: ChannelSettings(settings)),
      context: context ?? AdapterContext(publicURL: "http://127.0.0.1:8080"))
  }

  func message(_ fixture: String) throws -> (InboundMessage, [[UInt8]?]) {
    let parsed = try Self.adapter().parseMail(try Fixtures.bytes("email", fixture))
    guard case .message(let message) = parsed.item else {
      Issue.record("expected a message from \(fixture), got \(String(describing: parsed.item))")
      throw ParseFailure()
    }
    return (message, parsed.files)
  }

  struct ParseFailure: Error {}

  @Test func plainTextLosesItsSignatureAndKeepsTheOriginal() throws {
    let raw = try Fixtures.bytes("email", "plain_utf8.eml")
    let (message, files) = try message("plain_utf8.eml")
    #expect(message.providerMessageId == "a1b2c3@example.ru")
    #expect(
      message.sender
        == SenderProfile(
          externalId: "ivan.petrov@example.ru", name: "Иван Петров", email: "ivan.petrov@example.ru"
        ))
    #expect(message.threadKey == nil)
    #expect(message.text == "Здравствуйте!\n\nЗаказ №4821 не пришёл. Подскажите, где он?")
    #expect(message.details["subject"] == "Где мой заказ?")
    #expect(message.details["signature_stripped"] == true)
    #expect(message.sentAt == Timestamp(unixSeconds: 1_711_954_800))
    #expect(message.attachments.map(\.filename) == ["message.eml"])
    #expect(message.attachments.first?.contentType == "message/rfc822")
    #expect(message.attachments.first?.details["original"] == true)
    #expect(files == [raw])
    #expect(!message.isAutomatic)
    #expect(message.references.isEmpty && message.conversationToken == nil)
  }

  @Test func htmlOnlyMailIsReadAsText() throws {
    let (message, _) = try message("html_only.eml")
    #expect(message.text?.contains("I cannot log in to my account & reset fails.") == true)
    #expect(message.text?.contains("color:red") == false)
    #expect(message.text?.contains("- Browser: Firefox") == true)
    #expect(message.details["text_from_html"] == true)
    #expect(message.sender.name == "Jane Doe")
  }

  @Test(arguments: [
    (
      "cp1251_8bit.eml", "Счёт для ООО «Ромашка»",
      "Добрый день!\nПрошу выставить счёт на ООО «Ромашка».", "Мария Иванова"
    ),
    ("koi8r.eml", "Претензия: заказ 123", "Здравствуйте, заказ 123 не пришёл вовремя.", "Сергей"),
  ])
  func cyrillicCharsetsSurvive(_ fixture: String, subject: String, text: String, name: String)
    throws
  {
    let (message, _) = try message(fixture)
    #expect(message.details["subject"]?.stringValue == subject)
    #expect(message.text == text)
    #expect(message.sender.name == name)
  }

  @Test func attachmentsAndInlineImagesKeepTheirNamesAndBytes() throws {
    let (message, files) = try message("attachments_rfc2231.eml")
    #expect(message.text == "Документы во вложении, скриншот ниже.")
    #expect(
      message.attachments.map(\.filename) == [
        "скриншот.png", "Договор поставки №15 от 1 апреля 2024 года (подписанный).pdf",
        "message.eml",
      ])
    #expect(message.attachments.map(\.kind) == ["image", "document", "document"])
    #expect(message.attachments[0].details["inline"] == true)
    #expect(message.attachments[0].details["content_id"] == "shot1@example.org")
    #expect(message.attachments[1].contentType == "application/pdf")
    #expect(message.attachments[1].size == 22)
    #expect(files[1] == Array("%PDF-1.4 fake contract".utf8))
    #expect(files.count == 3)
  }

  @Test func aGmailReplyIsStrippedAndNamesItsThread() throws {
    let (message, _) = try message("gmail_reply_ru.eml")
    #expect(message.text == "Спасибо, получил!")
    #expect(message.details["quote_stripped"] == true)
    #expect(
      message.references == [
        "a1b2c3@example.ru", "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE@example.com",
      ])
    #expect(message.replyToProviderId == "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE@example.com")
    #expect(message.conversationToken == "V6B0N5R1CE")
    #expect(
      MailThreadToken.matches(
        message.conversationToken ?? "", conversationId: "conv_01JD3Q7ZK9X4M2T8V6B0N5R1CE"))
  }

  @Test func anOutlookReplyLosesItsHeaderBlock() throws {
    let (message, _) = try message("outlook_reply_en.eml")
    #expect(message.text == "It works now, thanks.")
    #expect(message.sender.name == "Doe, Jane")
    #expect(message.conversationToken == "V6B0N5R1CE")
  }

  @Test func anAutoReplyIsAutomaticAndKeepsOnlyTheOriginal() throws {
    let (message, files) = try message("auto_reply.eml")
    #expect(message.isAutomatic)
    #expect(message.details["automatic_reasons"]?.arrayValue?.isEmpty == false)
    #expect(files.last != nil)
    #expect(files.dropLast().allSatisfy { $0 == nil })
  }

  @Test func aBounceFailsTheReplyItReturns() throws {
    let parsed = try Self.adapter().parseMail(try Fixtures.bytes("email", "dsn_failed.eml"))
    guard case .status(let status) = parsed.item else {
      Issue.record("expected a status, got \(String(describing: parsed.item))")
      return
    }
    #expect(status.providerMessageId == "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE@example.com")
    #expect(status.status == .failed)
    #expect(status.error?["code"] == "bounced")
    #expect(status.error?["status"] == "5.1.1")
    #expect(status.error?["recipient"] == "nobody@example.ru")
    #expect(status.error?["message"]?.stringValue?.contains("User unknown") == true)
    #expect(status.dedupeKey == "20240401090005.4C1E2A3B@mx.example.com")
  }

  @Test func mailWithoutMessageIDIsKeyedByItsHash() throws {
    let raw = try Fixtures.bytes("email", "no_message_id.eml")
    let (message, _) = try message("no_message_id.eml")
    #expect(message.providerMessageId.hasPrefix("sha256:"))
    #expect(message.providerMessageId.count == 7 + 64)
    let again = try Self.adapter().parseMail(raw)
    #expect(again.item == .message(message))
  }

  @Test func arbitraryBytesNeverCrashAndTooLargeMailIsRefused() throws {
    let adapter = try Self.adapter()
    var generator = SystemRandomNumberGenerator()
    let raw = try Fixtures.bytes("email", "attachments_rfc2231.eml")
    for cut in stride(from: 0, to: raw.count, by: 97) {
      _ = adapter.parseMail(Array(raw[..<cut]))
      var noisy = raw
      noisy[Int.random(in: 0..<raw.count, using: &generator)] = UInt8.random(
        in: 0...255, using: &generator)
      _ = adapter.parseMail(noisy)
    }
    let huge = try Self.adapter(["max_message_bytes": 2048]).parseMail(raw)
    #expect(huge.item == nil && huge.note == "too_large")
  }

  func request(_ body: [UInt8], headers: [(String, String)]) -> HTTPRequest {
    var fields = HTTPHeaders()
    for (name, value) in headers { fields.add(name, value) }
    return HTTPRequest(method: .post, target: "/v1/inbound/mail", headers: fields, body: body)
  }

  @Test func rawMailNeedsTheBearerTokenAndItsContentType() throws {
    let adapter = try Self.adapter()
    let raw = try Fixtures.bytes("email", "plain_utf8.eml")
    let good = [("Authorization", "Bearer s3cret-token"), ("Content-Type", "message/rfc822")]
    #expect(adapter.checkRawMail(request(raw, headers: good)) == nil)
    let cases: [([(String, String)], Int)] = [
      ([("Content-Type", "message/rfc822")], 401),
      ([("Authorization", "Bearer s3cret-tokeN"), ("Content-Type", "message/rfc822")], 401),
      ([("Authorization", "Basic s3cret-token"), ("Content-Type", "message/rfc822")], 401),
      ([("Authorization", "Bearer s3cret-token"), ("Content-Type", "text/plain")], 415),
    ]
    for (headers, status) in cases {
      #expect(adapter.checkRawMail(request(raw, headers: headers))?.status == status)
    }
    guard case .ingest(let items) = adapter.receive(request(raw, headers: good), now: .now()),
      case .message(let message) = items.first
    else {
      Issue.record("expected a message")
      return
    }
    #expect(message.providerMessageId == "a1b2c3@example.ru")
    let closed = try Self.adapter(["inbound_token": .null])
    #expect(closed.checkRawMail(request(raw, headers: good))?.status == 401)
  }

  @Test func settingsAreChecked() throws {
    let adapter = try Self.adapter([
      "imap_url": "imaps://mail.example.com/Support%20Inbox", "username": "support",
      "password": "pw", "smtp_url": "smtps://mail.example.com:465", "processed_folder": "Done",
    ])
    #expect(adapter.mailbox?.server.url == "imaps://mail.example.com")
    #expect(adapter.mailbox?.mailbox == "Support Inbox")
    #expect(adapter.mailbox?.processedFolder == "Done")
    #expect(adapter.settings.smtp?.username == "support")
    #expect(adapter.settings.from.name == "Служба поддержки")
    #expect(try Self.adapter(["imap_url": "imap://mail.example.com"]).mailbox?.mailbox == "INBOX")
    #expect(throws: ChannelError.self) { try Self.adapter(["from": "not an address"]) }
  }
}
