import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionMIME
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

/// The `email` adapter's replies: the message handed to SMTP (parsed back) and how SMTP
/// answers are classified, with a stand-in mail transport and conversation history.
@Suite struct EmailOutboundTests {
  /// Records submissions and answers as told.
  final class StandInMail: MailTransport {
    struct Submission: Sendable {
      var bytes: [UInt8]
      var from: String
      var recipients: [String]
      var server: MailServer
    }
    let answer: MailSubmissionResult
    let submissions = Mutex<[Submission]>([])

    init(
      _ answer: MailSubmissionResult = MailSubmissionResult(
        outcome: .accepted, replyCode: 250, replyText: "2.0.0 Ok: queued as 4C1E")
    ) {
      self.answer = answer
    }

    func submit(_ message: [UInt8], from: String, recipients: [String], via server: MailServer)
      async -> MailSubmissionResult
    {
      submissions.withLock {
        $0.append(Submission(bytes: message, from: from, recipients: recipients, server: server))
      }
      return answer
    }

    func mailbox(on server: MailServer) -> any MailboxSession { fatalError("not used") }

    var sent: [Submission] { submissions.withLock { $0 } }
  }

  struct StandInHistory: ConversationHistory {
    let messages: [Message]
    func messages(inConversation id: String) async -> [Message] { messages }
  }

  static let conversation = "conv_01JD3Q7ZK9X4M2T8V6B0N5R1CE"

  static func inbound(
    _ id: String, subject: String, references: [String] = [], replyTo: String? = nil
  )
    -> Message
  {
    var details: JSONObject = ["subject": .string(subject)]
    if !references.isEmpty { details["references"] = .array(references.map(JSON.string)) }
    if let replyTo { details["reply_to"] = .string(replyTo) }
    return Message(
      id: "msg_in_\(id.prefix(4))", conversationId: conversation, contactId: "ct_1",
      channel: "mail", direction: .inbound, providerMessageId: id, text: "?", attachments: [],
      createdAt: Timestamp(unixSeconds: 1), status: .received, details: details)
  }

  static func outbound(_ id: String?, status: DeliveryStatus) -> Message {
    Message(
      id: "msg_out", conversationId: conversation, contactId: "ct_1", channel: "mail",
      direction: .outbound, providerMessageId: id, text: "!", attachments: [],
      createdAt: Timestamp(unixSeconds: 2), status: status)
  }

  func adapter(_ mail: StandInMail, history: [Message] = []) throws -> EmailAdapter {
    try EmailAdapterTests.adapter(
      [
        "smtp_url": "smtp://smtp.example.com:587", "username": "support", "password": "pw",
        "reply_to": "help@example.com",
      ],
      context: AdapterContext(
        publicURL: "http://127.0.0.1:8080", mail: mail, history: StandInHistory(messages: history)))
  }

  func reply(
    text: String? = "Здравствуйте!\n\nЗаказ в пути.\nСкоро будет.", automatic: Bool = false,
    attachments: [Attachment] = [], inReplyTo: String? = nil
  ) -> OutboundMessage {
    OutboundMessage(
      messageId: "msg_01JD3Q8000AAAABBBBCCCCDDDD", conversationId: Self.conversation,
      recipient: SenderProfile(
        externalId: "ivan@example.ru", name: "Иван Петров", email: "ivan@example.ru"),
      text: text, attachments: attachments, inReplyToProviderId: inReplyTo, isAutomatic: automatic)
  }

  @Test func aReplyContinuesTheCustomersThread() async throws {
    let mail = StandInMail()
    let history = [
      Self.inbound("first@example.ru", subject: "Где заказ?", references: ["older@example.ru"]),
      Self.outbound("msg_a@example.com", status: .sent),
      Self.outbound(nil, status: .failed),
      Self.inbound(
        "second@example.ru", subject: "Re: Где заказ? [#V6B0N5R1CE]",
        references: ["older@example.ru", "first@example.ru", "msg_a@example.com"]),
    ]
    let result = await try adapter(mail, history: history).send(
      reply(), transport: LoopbackTransport())
    let submission = try #require(mail.sent.first)
    #expect(
      result
        == .sent(
          providerMessageId: "msg_01JD3Q8000AAAABBBBCCCCDDDD@example.com",
          details: ["smtp_reply": "250 2.0.0 Ok: queued as 4C1E"]))
    #expect(submission.from == "support@example.com")
    #expect(submission.recipients == ["ivan@example.ru"])
    #expect(submission.server.url == "smtp://smtp.example.com:587")
    #expect(submission.server.username == "support")
    let sent = try MIMEParser().parse(submission.bytes)
    #expect(sent.messageID == "msg_01JD3Q8000AAAABBBBCCCCDDDD@example.com")
    #expect(sent.subject == "Re: Где заказ? [#V6B0N5R1CE]")
    #expect(sent.inReplyTo == ["second@example.ru"])
    #expect(
      sent.references == [
        "older@example.ru", "first@example.ru", "msg_a@example.com", "second@example.ru",
      ])
    #expect(sent.from == [MailAddress("support@example.com", name: "Служба поддержки")])
    #expect(sent.headers["From"]?.hasPrefix("=?") == true)
    #expect(sent.replyTo.map(\.address) == ["help@example.com"])
    #expect(sent.to == [MailAddress("ivan@example.ru", name: "Иван Петров")])
    #expect(sent.root.contentType.mimeType == "multipart/alternative")
    #expect(sent.text == "Здравствуйте!\n\nЗаказ в пути.\nСкоро будет.\n")
    #expect(sent.html?.contains("<p>Заказ в пути.<br>\nСкоро будет.</p>") == true)
    #expect(sent.headers["Auto-Submitted"] == nil)
    #expect(sent.headers["X-Junction-Conversation"] == Self.conversation)
  }

  @Test func botAnswersAreAutoSubmittedAndGoToTheCustomersReplyTo() async throws {
    let mail = StandInMail()
    let history = [Self.inbound("q@example.ru", subject: "Вопрос", replyTo: "ivan.work@example.ru")]
    _ = await try adapter(mail, history: history).send(
      reply(text: "Мы работаем с 9 до 18 <по Москве> & в субботу.", automatic: true),
      transport: LoopbackTransport())
    let submission = try #require(mail.sent.first)
    #expect(submission.recipients == ["ivan.work@example.ru"])
    let sent = try MIMEParser().parse(submission.bytes)
    #expect(sent.headers["Auto-Submitted"] == "auto-replied")
    #expect(sent.html?.contains("&lt;по Москве&gt; &amp; в субботу") == true)
  }

  @Test func aFirstMessageWithoutHistoryStillCarriesTheToken() async throws {
    let mail = StandInMail()
    _ = await try adapter(mail).send(reply(), transport: LoopbackTransport())
    let sent = try MIMEParser().parse(try #require(mail.sent.first).bytes)
    #expect(sent.subject == "Служба поддержки [#V6B0N5R1CE]")
    #expect(sent.inReplyTo.isEmpty && sent.references.isEmpty)
  }

  @Test func attachmentsAreFetchedFromTheirLinks() async throws {
    let server = try StandInServer { request in
      request.path.hasPrefix("/gone") ? .status(404, "no") : .status(200, "Договор №15")
    }
    defer { server.stop() }
    let mail = StandInMail()
    let file = Attachment(
      kind: "document", url: server.url + "/v1/blobs/abc?expires=1&signature=x",
      contentType: "text/plain", filename: "договор №15.txt")
    let adapter = try adapter(mail)
    let result = await adapter.send(reply(attachments: [file]), transport: LoopbackTransport())
    guard case .sent = result else {
      Issue.record("expected sent, got \(result)")
      return
    }
    let sent = try MIMEParser().parse(try #require(mail.sent.first).bytes)
    #expect(sent.root.contentType.mimeType == "multipart/mixed")
    #expect(sent.attachments.map(\.filename) == ["договор №15.txt"])
    #expect(sent.attachments.first?.data == Array("Договор №15".utf8))

    var gone = file
    gone.url = server.url + "/gone"
    let failed = await adapter.send(reply(attachments: [gone]), transport: LoopbackTransport())
    guard case .failed(let error, _, _) = failed else {
      Issue.record("expected failed, got \(failed)")
      return
    }
    #expect(error.code == "attachment_http_404")
    #expect(mail.sent.count == 1)
  }

  @Test(arguments: [
    (
      MailSubmissionResult(
        outcome: .temporaryFailure, replyCode: 451, replyText: "4.3.0 Try again later"),
      "retry:smtp_451"
    ),
    (
      MailSubmissionResult(
        outcome: .temporaryFailure, replyCode: nil, replyText: "connection refused"),
      "retry:smtp_unavailable"
    ),
    (
      MailSubmissionResult(
        outcome: .permanentFailure, replyCode: 550,
        replyText: "5.1.1 <ivan@example.ru>: Recipient address rejected: User unknown"),
      "failed:smtp_550:unreachable"
    ),
    (
      MailSubmissionResult(
        outcome: .permanentFailure, replyCode: 552,
        replyText: "5.3.4 Message size exceeds fixed limit"), "failed:smtp_552"
    ),
  ])
  func smtpAnswersAreClassified(_ answer: MailSubmissionResult, _ expected: String) async throws {
    let result = await try adapter(StandInMail(answer)).send(
      reply(), transport: LoopbackTransport())
    switch result {
    case .retry(let error, _): #expect("retry:\(error.code)" == expected)
    case .failed(let error, let unreachable, _):
      #expect("failed:\(error.code)\(unreachable ? ":unreachable" : "")" == expected)
      #expect(error.providerCode == answer.replyCode.map(String.init))
    case .sent: Issue.record("expected a failure for \(expected)")
    }
  }

  @Test func withoutSMTPOrAnAddressNothingIsSent() async throws {
    let receiveOnly = try EmailAdapterTests.adapter(
      [:], context: AdapterContext(publicURL: "http://x", mail: StandInMail()))
    guard
      case .failed(let error, _, _) = await receiveOnly.send(
        reply(), transport: LoopbackTransport())
    else {
      Issue.record("expected failed")
      return
    }
    #expect(error.code == "no_smtp_url")
    var anonymous = reply()
    anonymous.recipient = SenderProfile(externalId: "12345")
    let result = await try adapter(StandInMail()).send(anonymous, transport: LoopbackTransport())
    #expect(
      result
        == .failed(
          ProviderError(code: "invalid_recipient", message: "the contact has no e-mail address"),
          recipientUnreachable: true))
  }
}
