import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

@testable import JunctionAdapters

/// Replies through a stand-in Send API on loopback.
@Suite struct MessengerOutboundTests {
  static let psid = "6783529261686247"
  static let mid = "m_AG5Hz2U7sKTOHDgc6R2b9bRKvDmC5-dZsR8Uq3Rz9xTgQ5mDJhX7XkO8n4L2eG7B"
  static let success = #"{"recipient_id":"6783529261686247","message_id":"\#(mid)"}"#
  static let now = MetaTest.now

  func message(
    text: String? = "Yes, we ship to Berlin.", attachments: [Attachment] = [],
    lastInbound: Double = 600
  ) -> OutboundMessage {
    OutboundMessage(
      messageId: "msg_1", conversationId: "conv_1",
      recipient: SenderProfile(externalId: Self.psid), text: text, attachments: attachments,
      inReplyToProviderId: "m_customer", lastInboundAt: Self.now.adding(seconds: -lastInbound))
  }

  func send(
    _ message: OutboundMessage, extra: JSONObject = JSONObject(),
    reply: @escaping @Sendable (ReceivedRequest) -> StandInReply = { _ in .status(200, success) }
  ) async throws -> (SendResult, [ReceivedRequest], MessengerAdapter) {
    let server = try StandInServer(script: reply)
    defer { server.stop() }
    let adapter = try MetaTest.messenger(apiBase: server.url + "/v23.0", extra: extra)
    let result = await adapter.send(message, transport: LoopbackTransport(), now: Self.now)
    return (result, server.requests, adapter)
  }

  @Test func aTextReplyIsAResponseWithThePageTokenInTheHeader() async throws {
    let (result, requests, adapter) = try await send(message())
    #expect(result == .sent(providerMessageId: Self.mid, details: JSONObject()))
    let request = try #require(requests.first)
    #expect(requests.count == 1)
    #expect(request.path == "/v23.0/me/messages")
    #expect(request.query.isEmpty, "the token never travels in the URL")
    #expect(request.header("Authorization") == "Bearer EAAPageT0ken")
    #expect(
      request.json == [
        "recipient": ["id": .string(Self.psid)], "messaging_type": "RESPONSE",
        "message": ["text": "Yes, we ship to Berlin."],
      ])
    // Remembered for read receipts.
    #expect(adapter.ledger.sent(to: Self.psid, upTo: Self.now.millis) == [Self.mid])
  }

  @Test func aConfiguredPageIsThePath() async throws {
    let (_, requests, _) = try await send(message(), extra: ["page_id": "107021588813337"])
    #expect(requests.first?.path == "/v23.0/107021588813337/messages")
  }

  @Test func attachmentsGoAfterTheTextEachWithItsCaptionBefore() async throws {
    let attachments = [
      Attachment(kind: "image", url: "https://cdn.example.com/label.jpg", caption: "The label"),
      Attachment(kind: "document", url: "https://cdn.example.com/invoice.pdf"),
    ]
    let (result, requests, _) = try await send(message(text: "Here:", attachments: attachments))
    guard case .sent = result else {
      Issue.record("expected sent, got \(result)")
      return
    }
    #expect(
      requests.map { $0.json["message"] } == [
        ["text": "Here:"], ["text": "The label"],
        [
          "attachment": [
            "type": "image",
            "payload": ["url": "https://cdn.example.com/label.jpg", "is_reusable": false],
          ]
        ],
        [
          "attachment": [
            "type": "file",
            "payload": ["url": "https://cdn.example.com/invoice.pdf", "is_reusable": false],
          ]
        ],
      ])
  }

  @Test func afterTheWindowTheConfiguredTagIsUsedForSevenDays() async throws {
    let (result, requests, _) = try await send(
      message(lastInbound: 3 * 86_400), extra: ["message_tag": "HUMAN_AGENT"])
    #expect(result == .sent(providerMessageId: Self.mid, details: JSONObject()))
    #expect(requests.first?.json["messaging_type"] == "MESSAGE_TAG")
    #expect(requests.first?.json["tag"] == "HUMAN_AGENT")
    let (late, none, _) = try await send(
      message(lastInbound: 8 * 86_400), extra: ["message_tag": "HUMAN_AGENT"])
    #expect(none.isEmpty)
    guard case .failed(let error, _, _) = late else {
      Issue.record("expected failure, got \(late)")
      return
    }
    #expect(error.code == "outside_reply_window")
    let (_, update, _) = try await send(
      message(lastInbound: 30 * 86_400), extra: ["message_tag": "ACCOUNT_UPDATE"])
    #expect(update.first?.json["tag"] == "ACCOUNT_UPDATE")
    let (_, inside, _) = try await send(message(), extra: ["message_tag": "HUMAN_AGENT"])
    #expect(inside.first?.json["messaging_type"] == "RESPONSE")
    #expect(inside.first?.json["tag"] == nil)
  }

  @Test func theTagSettingDecidesTheFallback() throws {
    #expect(try MetaTest.messenger().hasReplyWindowFallback == false)
    #expect(try MetaTest.messenger(extra: ["message_tag": "HUMAN_AGENT"]).hasReplyWindowFallback)
    #expect(throws: ChannelError.self) { try MetaTest.messenger(extra: ["message_tag": "PROMO"]) }
  }

  static func graphError(_ code: Int, _ message: String, subcode: Int? = nil) -> String {
    let sub = subcode.map { #","error_subcode":\#($0)"# } ?? ""
    return
      #"{"error":{"message":"(#\#(code)) \#(message)","type":"OAuthException","code":\#(code)\#(sub),"fbtrace_id":"B9xZk2"}}"#
  }

  @Test(
    arguments: [
      (
        400, graphError(613, "Calls to this api have exceeded the rate limit."),
        "retry rate_limited -"
      ),
      (400, graphError(4, "Application request limit reached"), "retry rate_limited -"),
      (400, graphError(32, "Page request limit reached"), "retry rate_limited -"),
      (429, graphError(17, "User request limit reached"), "retry rate_limited -"),
      (
        500, graphError(1200, "Temporary send message failure. Please try again later"),
        "retry temporarily_unavailable -"
      ),
      (502, "Bad Gateway", "retry http_502 -"),
      (
        400, graphError(551, "This person isn't available right now.", subcode: 1_545_041),
        "unreachable recipient_unavailable"
      ),
      (
        400, graphError(100, "No matching user found", subcode: 2_018_001),
        "unreachable invalid_recipient"
      ),
      (
        400, graphError(10, "This message is sent outside of allowed window.", subcode: 2_018_278),
        "failed outside_reply_window"
      ),
      (
        403, graphError(200, "The user hasn't authorized the application to perform this action"),
        "failed permission_denied"
      ),
      (
        400, graphError(190, "Error validating access token: Session has expired"),
        "failed token_expired"
      ),
      (400, graphError(100, "Invalid parameter"), "failed invalid_request"),
    ] as [(Int, String, String)])
  func graphErrorsAreClassified(_ status: Int, _ body: String, _ expected: String) async throws {
    let (result, _, _) = try await send(message()) { _ in .status(status, body) }
    #expect(WhatsAppOutboundTests.describe(result) == expected)
    if case .failed(let error, _, _) = result {
      #expect(error.providerCode?.isEmpty == false)
    }
  }

  @Test func unsendableMessagesFailWithoutACall() async throws {
    let (result, requests, _) = try await send(
      message(attachments: [Attachment(kind: "image", blobId: "blob_1")]))
    #expect(requests.isEmpty)
    #expect(WhatsAppOutboundTests.describe(result) == "failed no_url")
  }

  @Test func downloadsFromTheCDNWithoutAToken() async throws {
    let bytes = Array("GIF89a".utf8)
    let server = try StandInServer { _ in
      StandInReply(
        HTTPResponse(
          status: 200, headers: HTTPHeaders([("Content-Type", "image/gif")]), body: bytes))
    }
    defer { server.stop() }
    let adapter = try MetaTest.messenger()
    let result = await adapter.download(
      Attachment(kind: "image", url: server.url + "/v/t1.15752-9/n.gif"),
      transport: LoopbackTransport(), maxBytes: 1024)
    #expect(result == .downloaded(DownloadedFile(bytes: bytes, contentType: "image/gif")))
    #expect(server.requests.first?.header("Authorization") == nil)
    let link = await adapter.download(
      Attachment(kind: "link", url: server.url + "/page"), transport: LoopbackTransport(),
      maxBytes: 1024)
    guard case .failed(let error) = link else {
      Issue.record("expected failure, got \(link)")
      return
    }
    #expect(error.code == "no_file")
    #expect(server.requests.count == 1)
  }
}
