import JunctionAdapters
import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Replies through the Bot API against a stand-in server: the exact calls, and how real
/// Telegram answers are classified.
@Suite struct TelegramOutboundTests {
  static let token = TelegramAdapterTests.token

  /// A `sendMessage`-style success for chat `chat`.
  static func sent(_ chat: Int64, _ id: Int64) -> StandInReply {
    .status(
      200,
      #"{"ok":true,"result":{"message_id":\#(id),"from":{"id":123456,"is_bot":true,"first_name":"Junction Shop"},"chat":{"id":\#(chat),"type":"private"},"date":1795428700,"text":"ok"}}"#
    )
  }

  static func message(
    to user: String = "1111111", thread: String? = nil, text: String? = "Your parcel left today.",
    attachments: [JunctionModel.Attachment] = [], inReplyTo: String? = "1111111:1365"
  ) -> OutboundMessage {
    OutboundMessage(
      messageId: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE", conversationId: "conv_1",
      recipient: SenderProfile(externalId: user), threadKey: thread, text: text,
      attachments: attachments, inReplyToProviderId: inReplyTo)
  }

  func send(
    _ message: OutboundMessage, settings: JSONObject = JSONObject(),
    script: @escaping StandInServer.Script
  ) async throws -> (SendResult, [ReceivedRequest]) {
    let provider = try StandInServer(script: script)
    defer { provider.stop() }
    let adapter = try TelegramAdapterTests.adapter(apiBase: provider.url, extra: settings)
    let result = await adapter.send(message, transport: LoopbackTransport())
    return (result, provider.requests)
  }

  @Test func aTextReplyQuotesTheCustomerMessage() async throws {
    let (result, requests) = try await send(Self.message()) { _ in Self.sent(1_111_111, 1400) }
    #expect(result == .sent(providerMessageId: "1111111:1400", details: ["calls": 1]))
    #expect(requests.count == 1)
    let request = try #require(requests.first)
    #expect(request.method == "POST")
    #expect(request.path == "/bot\(Self.token)/sendMessage")
    #expect(request.header("Content-Type") == "application/json")
    #expect(
      request.json
        == [
          "chat_id": 1_111_111, "text": "Your parcel left today.",
          "reply_parameters": ["message_id": 1365, "allow_sending_without_reply": true],
        ])
  }

  @Test func aGroupReplyGoesToTheGroupChat() async throws {
    let message = Self.message(
      to: "3333333", thread: "-1001873264519", inReplyTo: "-1001873264519:88")
    let (result, requests) = try await send(message) { _ in Self.sent(-1_001_873_264_519, 95) }
    #expect(result == .sent(providerMessageId: "-1001873264519:95", details: ["calls": 1]))
    #expect(requests.first?.json["chat_id"] == -1_001_873_264_519)
    #expect(requests.first?.json["reply_parameters"]?["message_id"] == 88)
  }

  @Test func quotesOnlyMessagesOfTheSameChatAndAsConfigured() async throws {
    let elsewhere = Self.message(inReplyTo: "2222222:1365")
    let (_, first) = try await send(elsewhere) { _ in Self.sent(1_111_111, 1) }
    #expect(first.first?.json["reply_parameters"] == nil)
    let (_, never) = try await send(Self.message(), settings: ["quote_replies": "never"]) { _ in
      Self.sent(1_111_111, 1)
    }
    #expect(never.first?.json["reply_parameters"] == nil)
    let (_, groups) = try await send(Self.message(), settings: ["quote_replies": "groups"]) { _ in
      Self.sent(1_111_111, 1)
    }
    #expect(groups.first?.json["reply_parameters"] == nil)
  }

  @Test func aShortTextBecomesTheCaptionOfTheFirstFile() async throws {
    let files = [
      JunctionModel.Attachment(kind: "image", url: "https://files.example.com/box.jpg"),
      JunctionModel.Attachment(kind: "document", url: "https://files.example.com/label.pdf"),
    ]
    let (result, requests) = try await send(
      Self.message(text: "Photo of the label", attachments: files, inReplyTo: nil)
    ) { request in Self.sent(1_111_111, 1401 + Int64(request.index)) }
    #expect(result == .sent(providerMessageId: "1111111:1401", details: ["calls": 2]))
    #expect(
      requests.map(\.path) == ["/bot\(Self.token)/sendPhoto", "/bot\(Self.token)/sendDocument"])
    #expect(
      requests[0].json
        == [
          "chat_id": 1_111_111, "photo": "https://files.example.com/box.jpg",
          "caption": "Photo of the label",
        ])
    #expect(
      requests[1].json == ["chat_id": 1_111_111, "document": "https://files.example.com/label.pdf"])
  }

  @Test func aTextTooLongForACaptionGoesFirstThenTheFiles() async throws {
    let text = String(repeating: "слово ", count: 200)
    let files = [
      JunctionModel.Attachment(kind: "voice", url: "https://f.example.com/a.ogg"),
      JunctionModel.Attachment(kind: "video", url: "https://f.example.com/b.mp4"),
      JunctionModel.Attachment(kind: "audio", url: "https://f.example.com/c.mp3"),
    ]
    let (_, requests) = try await send(Self.message(text: text, attachments: files)) { _ in
      Self.sent(1_111_111, 1)
    }
    #expect(
      requests.map { $0.path.split(separator: "/").last.map(String.init) ?? "" } == [
        "sendMessage", "sendVoice", "sendVideo", "sendAudio",
      ])
    #expect(requests[0].json["text"]?.stringValue == text)
    #expect(requests[0].json["reply_parameters"]?["message_id"] == 1365)
    #expect(requests[1].json["caption"] == nil)
    #expect(requests[1].json["voice"] == "https://f.example.com/a.ogg")
  }

  @Test func emojiHeavyTextIsKeptWithinTelegramsUTF16Limit() async throws {
    let text = String(repeating: "🙏", count: 4000)
    let (_, requests) = try await send(Self.message(text: text, inReplyTo: nil)) { _ in
      Self.sent(1_111_111, 1)
    }
    #expect(requests.count > 1)
    let parts = requests.compactMap { $0.json["text"]?.stringValue }
    #expect(parts.allSatisfy { $0.utf16.count <= 4096 })
    #expect(parts.joined() == text)
  }

  @Test func rateLimitsAreRetriedAfterTheirRetryAfter() async throws {
    let (result, _) = try await send(Self.message()) { _ in
      .status(
        429,
        #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#
      )
    }
    guard case .retry(let error, let after) = result else {
      Issue.record("expected retry, got \(result)")
      return
    }
    #expect(after == 35)
    #expect(error.code == "rate_limited")
    #expect(error.providerCode == "429")
    #expect(error.message == "Too Many Requests: retry after 35")
  }

  @Test(arguments: [
    (403, "Forbidden: bot was blocked by the user", "recipient_blocked"),
    (403, "Forbidden: user is deactivated", "recipient_unreachable"),
    (403, "Forbidden: bot was kicked from the supergroup chat", "recipient_unreachable"),
    (400, "Bad Request: chat not found", "invalid_recipient"),
  ])
  func unreachableRecipientsFailPermanently(_ status: Int, _ description: String, _ code: String)
    async throws
  {
    let (result, requests) = try await send(Self.message()) { _ in
      .status(status, #"{"ok":false,"error_code":\#(status),"description":"\#(description)"}"#)
    }
    #expect(requests.count == 1)
    #expect(
      result
        == .failed(
          ProviderError(
            code: code, message: description, httpStatus: status, providerCode: String(status)),
          recipientUnreachable: true))
  }

  @Test func otherBadRequestsFailWithoutBlamingTheRecipient() async throws {
    let (result, _) = try await send(Self.message()) { _ in
      .status(
        400, #"{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}"#)
    }
    guard case .failed(let error, let unreachable, _) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == "http_400")
    #expect(!unreachable)
  }

  @Test func serverErrorsAndLostConnectionsAreRetried() async throws {
    let (busy, _) = try await send(Self.message()) { _ in
      .status(502, #"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#)
    }
    guard case .retry(let error, nil) = busy else {
      Issue.record("expected retry, got \(busy)")
      return
    }
    #expect(error.code == "http_502")

    let probe = try StandInServer()
    let port = probe.port
    probe.stop()
    let adapter = try TelegramAdapterTests.adapter(apiBase: "http://127.0.0.1:\(port)")
    let lost = await adapter.send(Self.message(), transport: LoopbackTransport())
    guard case .retry(let lostError, _) = lost else {
      Issue.record("expected retry, got \(lost)")
      return
    }
    #expect(lostError.code == "connection_failed")
    #expect(!lostError.message.contains(Self.token))
  }

  @Test func aGroupThatBecameASupergroupGetsTheMessageAtItsNewId() async throws {
    let message = Self.message(to: "3333333", thread: "-4012345678", inReplyTo: nil)
    let (result, requests) = try await send(message) { request in
      request.index == 0
        ? .status(
          400,
          #"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001999888777}}"#
        )
        : Self.sent(-1_001_999_888_777, 3)
    }
    #expect(requests.map { $0.json["chat_id"] } == [-4_012_345_678, -1_001_999_888_777])
    #expect(result == .sent(providerMessageId: "-1001999888777:3", details: ["calls": 1]))
  }

  @Test func theBotTokenNeverLeaksIntoErrors() async throws {
    let (result, _) = try await send(Self.message()) { request in
      .status(400, #"{"ok":false,"error_code":400,"description":"bad path \#(request.path)"}"#)
    }
    guard case .failed(let error, _, _) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(!error.message.contains(Self.token))
    #expect(error.message.contains("<bot_token>"))
  }

  @Test func nothingToSendOrAFileWithoutURLFailsWithoutACall() async throws {
    let (empty, none) = try await send(Self.message(text: nil)) { _ in .status(200) }
    #expect(none.isEmpty)
    guard case .failed(let error, _, _) = empty else {
      Issue.record("expected failure, got \(empty)")
      return
    }
    #expect(error.code == "empty_message")
    let (noURL, none2) = try await send(
      Self.message(attachments: [JunctionModel.Attachment(kind: "image", blobId: "b1")])
    ) { _ in .status(200) }
    #expect(none2.isEmpty)
    guard case .failed(let urlError, _, _) = noURL else {
      Issue.record("expected failure, got \(noURL)")
      return
    }
    #expect(urlError.code == "attachment_without_url")
  }
}
