import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

@testable import JunctionAdapters

/// Replies through a stand-in Graph API on loopback: exact requests, realistic answers.
@Suite struct WhatsAppOutboundTests {
  static let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJEQjJDNzVGMjE0RkIyMDg4QTQA"
  static let success =
    #"{"messaging_product":"whatsapp","contacts":[{"input":"16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJEQjJDNzVGMjE0RkIyMDg4QTQA","message_status":"accepted"}]}"#
  static let customer = SenderProfile(externalId: "16505551234", phone: "+16505551234")
  static let now = MetaTest.now

  func message(
    text: String? = "Your order ships tomorrow.", attachments: [Attachment] = [],
    inReplyTo: String? = nil, lastInbound: Double = 3600
  ) -> OutboundMessage {
    OutboundMessage(
      messageId: "msg_1", conversationId: "conv_1", recipient: Self.customer, text: text,
      attachments: attachments, inReplyToProviderId: inReplyTo,
      lastInboundAt: Self.now.adding(seconds: -lastInbound))
  }

  /// Sends `message` to a stand-in answering `reply`; returns the result and the requests.
  func send(
    _ message: OutboundMessage, extra: JSONObject = JSONObject(),
    reply: @escaping @Sendable (ReceivedRequest) -> StandInReply = { _ in .status(200, success) }
  ) async throws -> (SendResult, [ReceivedRequest]) {
    let server = try StandInServer(script: reply)
    defer { server.stop() }
    let adapter = try MetaTest.whatsapp(apiBase: server.url + "/v23.0", extra: extra)
    let result = await adapter.send(message, transport: LoopbackTransport(), now: Self.now)
    return (result, server.requests)
  }

  @Test func aTextReplyIsPostedWithTheTokenAndReturnsTheWamid() async throws {
    let (result, requests) = try await send(
      message(inReplyTo: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="))
    #expect(result == .sent(providerMessageId: Self.wamid, details: JSONObject()))
    let request = try #require(requests.first)
    #expect(requests.count == 1)
    #expect(request.method == "POST")
    #expect(request.path == "/v23.0/106540352242922/messages")
    #expect(request.header("Authorization") == "Bearer EAAJB9Zt0ken")
    #expect(request.header("Content-Type") == "application/json")
    #expect(
      request.json == [
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505551234",
        "type": "text", "text": ["preview_url": false, "body": "Your order ships tomorrow."],
        "context": ["message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="],
      ])
  }

  @Test func quotingAndPreviewsFollowTheSettings() async throws {
    let (_, requests) = try await send(
      message(text: "See https://example.com/track", inReplyTo: "wamid.X"),
      extra: ["quote_replies": false, "preview_url": true])
    #expect(requests.first?.json["context"] == nil)
    #expect(requests.first?.json["text"]?["preview_url"] == true)
  }

  @Test func oneCaptionableAttachmentCarriesTheTextAsCaption() async throws {
    let photo = Attachment(kind: "image", url: "https://cdn.example.com/label.jpg")
    let (result, requests) = try await send(message(text: "The label", attachments: [photo]))
    #expect(result == .sent(providerMessageId: Self.wamid, details: JSONObject()))
    #expect(requests.count == 1)
    #expect(requests.first?.json["type"] == "image")
    #expect(
      requests.first?.json["image"] == [
        "link": "https://cdn.example.com/label.jpg", "caption": "The label",
      ])
  }

  @Test func textThenEachAttachmentOtherwise() async throws {
    let attachments = [
      Attachment(
        kind: "document", url: "https://cdn.example.com/invoice.pdf", filename: "invoice.pdf",
        caption: "Invoice"),
      Attachment(kind: "voice", url: "https://cdn.example.com/note.ogg"),
      Attachment(kind: "file", url: "https://cdn.example.com/data.csv"),
    ]
    let (result, requests) = try await send(
      message(text: "Three files", attachments: attachments, inReplyTo: "wamid.Q"))
    guard case .sent = result else {
      Issue.record("expected sent, got \(result)")
      return
    }
    #expect(requests.map { $0.json["type"] } == ["text", "document", "audio", "document"])
    #expect(requests[0].json["context"] == ["message_id": "wamid.Q"])
    #expect(requests[1].json["context"] == nil)
    #expect(
      requests[1].json["document"] == [
        "link": "https://cdn.example.com/invoice.pdf", "caption": "Invoice",
        "filename": "invoice.pdf",
      ])
    #expect(requests[2].json["audio"] == ["link": "https://cdn.example.com/note.ogg"])
  }

  @Test func aLongTextDoesNotBecomeACaption() async throws {
    let long = String(repeating: "a", count: 1025)
    let photo = Attachment(kind: "image", url: "https://cdn.example.com/p.jpg")
    let (_, requests) = try await send(message(text: long, attachments: [photo]))
    #expect(requests.map { $0.json["type"] } == ["text", "image"])
    #expect(requests.last?.json["image"]?["caption"] == nil)
  }

  @Test func aFailureHalfWayStopsAndIsReported() async throws {
    let photo = Attachment(kind: "image", url: "https://cdn.example.com/p.jpg", caption: "x")
    let (result, requests) = try await send(message(attachments: [photo, photo])) { request in
      request.index == 1
        ? .status(
          400,
          #"{"error":{"message":"(#131051) Unsupported message type","type":"OAuthException","code":131051,"error_data":{"messaging_product":"whatsapp","details":"Message type is not currently supported"},"fbtrace_id":"AzR1"}}"#
        ) : .status(200, Self.success)
    }
    #expect(requests.count == 2)
    guard case .failed(let error, false, false) = result else {
      Issue.record("expected a permanent failure, got \(result)")
      return
    }
    #expect(error.code == "unsupported_message_type")
  }

  @Test func outsideTheWindowTheTemplateGoesWithTheTextAsItsParameter() async throws {
    let template: JSON = ["name": "support_followup", "language": "ru", "text_parameter": true]
    let (result, requests) = try await send(
      message(text: "Ваш заказ\nготов.\t Заберите   его", lastInbound: 25 * 3600),
      extra: ["template": template])
    #expect(result == .sent(providerMessageId: Self.wamid, details: JSONObject()))
    let parameter: JSON = ["type": "text", "text": "Ваш заказ готов. Заберите его"]
    let body: JSON = ["type": "body", "parameters": [parameter]]
    #expect(
      requests.first?.json == [
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505551234",
        "type": "template",
        "template": [
          "name": "support_followup", "language": ["code": "ru"],
          "components": [body],
        ],
      ])
  }

  @Test func namedAndAbsentTemplateParameters() async throws {
    let named: JSON = ["name": "followup", "language": "en_US", "text_parameter": "reply"]
    let (_, first) = try await send(
      message(text: "Hello", lastInbound: 30 * 3600), extra: ["template": named])
    #expect(
      first.first?.json["template"]?["components"]?[0]?["parameters"]?[0]
        == ["type": "text", "text": "Hello", "parameter_name": "reply"])
    let plain: JSON = ["name": "hello_world", "language": "en_US"]
    let (_, second) = try await send(
      message(text: "Hello", lastInbound: 30 * 3600), extra: ["template": plain])
    #expect(
      second.first?.json["template"] == ["name": "hello_world", "language": ["code": "en_US"]])
    // Within the window the same channel sends free-form text.
    let (_, third) = try await send(message(text: "Hello"), extra: ["template": plain])
    #expect(third.first?.json["type"] == "text")
  }

  @Test func outsideTheWindowAttachmentsCannotGo() async throws {
    let template: JSON = ["name": "followup", "language": "ru"]
    let photo = Attachment(kind: "image", url: "https://cdn.example.com/p.jpg")
    let (result, requests) = try await send(
      message(attachments: [photo], lastInbound: 2 * 86_400), extra: ["template": template])
    guard case .failed(let error, _, _) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == "outside_reply_window")
    #expect(requests.isEmpty)
  }

  @Test func theTemplateSettingIsChecked() throws {
    #expect(try MetaTest.whatsapp().hasReplyWindowFallback == false)
    #expect(
      try MetaTest.whatsapp(extra: ["template": ["name": "a", "language": "ru"]])
        .hasReplyWindowFallback)
    for bad: JSON in [
      ["language": "ru"], ["name": "a"], ["name": "a", "language": "ru", "text_parameter": 1],
      ["name": "a", "language": "ru", "components": []],
    ] {
      #expect(throws: ChannelError.self) { try MetaTest.whatsapp(extra: ["template": bad]) }
    }
  }

  @Test func unsendableMessagesFailWithoutACall() async throws {
    let blobOnly = Attachment(kind: "image", blobId: "blob_1")
    let (noURL, none) = try await send(message(attachments: [blobOnly]))
    #expect(none.isEmpty)
    guard case .failed(let error, _, _) = noURL else {
      Issue.record("expected failure, got \(noURL)")
      return
    }
    #expect(error.code == "no_url")
    var toNobody = message()
    toNobody.recipient = SenderProfile(externalId: "not-a-number")
    let (invalid, _) = try await send(toNobody)
    guard case .failed(let recipientError, _, _) = invalid else {
      Issue.record("expected failure, got \(invalid)")
      return
    }
    #expect(recipientError.code == "invalid_recipient")
  }

  static func graphError(_ code: Int, _ message: String, transient: Bool = false) -> String {
    #"{"error":{"message":"(#\#(code)) \#(message)","type":"OAuthException","code":\#(code),"error_data":{"messaging_product":"whatsapp","details":"\#(message)"},"is_transient":\#(transient),"fbtrace_id":"AbCdEf1"}}"#
  }

  /// (HTTP status, body, extra header) → expected: "retry <code> <retryAfter>",
  /// "failed <code>", "unreachable <code>", "optout <code>".
  @Test(
    arguments: [
      (429, graphError(130429, "Rate limit hit"), nil, "retry rate_limited -"),
      (429, graphError(130429, "Rate limit hit"), "30", "retry rate_limited 30.0"),
      (
        400, graphError(131056, "(Business Account, Consumer Account) pair rate limit hit"), nil,
        "retry rate_limited 6.0"
      ),
      (400, graphError(4, "Application request limit reached"), nil, "retry rate_limited -"),
      (400, graphError(80007, "Rate limit issues"), nil, "retry rate_limited -"),
      (400, graphError(131048, "Spam rate limit hit"), nil, "retry rate_limited -"),
      (
        500, graphError(131000, "Something went wrong", transient: true), nil,
        "retry temporarily_unavailable -"
      ),
      (503, "<html><body>Service Unavailable</body></html>", nil, "retry http_503 -"),
      (400, graphError(131026, "Message undeliverable"), nil, "unreachable undeliverable"),
      (400, graphError(131047, "Re-engagement message"), nil, "failed outside_reply_window"),
      (400, graphError(131050, "Unable to deliver the message"), nil, "optout opted_out"),
      (400, graphError(131051, "Unsupported message type"), nil, "failed unsupported_message_type"),
      (
        401, graphError(190, "Error validating access token: Session has expired"), nil,
        "failed token_expired"
      ),
      (
        400, graphError(132001, "Template name does not exist in the translation"), nil,
        "failed template_error"
      ),
      (400, graphError(100, "Invalid parameter"), nil, "failed invalid_request"),
      (403, "Forbidden", nil, "failed http_403"),
    ] as [(Int, String, String?, String)])
  func graphErrorsAreClassified(
    _ status: Int, _ body: String, _ retryAfter: String?, _ expected: String
  )
    async throws
  {
    let (result, _) = try await send(message()) { _ in
      var response = HTTPResponse.json(status, body)
      if let retryAfter { response.headers.add("Retry-After", retryAfter) }
      return StandInReply(response)
    }
    #expect(Self.describe(result) == expected)
    if case .failed(let error, _, _) = result, body.hasPrefix("{") {
      #expect(error.providerCode != nil)
      #expect(error.httpStatus == status)
    }
  }

  static func describe(_ result: SendResult) -> String {
    switch result {
    case .sent(let id, _): return "sent \(id ?? "-")"
    case .retry(let error, let after): return "retry \(error.code) \(after.map { "\($0)" } ?? "-")"
    case .failed(let error, true, _): return "unreachable \(error.code)"
    case .failed(let error, _, true): return "optout \(error.code)"
    case .failed(let error, _, _): return "failed \(error.code)"
    }
  }

  @Test func anUnreachableAPIIsRetried() async throws {
    let probe = try StandInServer()
    let url = probe.url
    probe.stop()
    let adapter = try MetaTest.whatsapp(apiBase: url + "/v23.0")
    let result = await adapter.send(message(), transport: LoopbackTransport(), now: Self.now)
    #expect(Self.describe(result) == "retry connection_failed -")
  }
}
