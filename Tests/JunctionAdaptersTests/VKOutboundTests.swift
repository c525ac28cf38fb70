import JunctionAdapters
import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// `messages.send` against a stand-in VK API: the form sent, `random_id` stability, and how
/// VK's HTTP-200 error objects are classified; downloads from VK's file URLs.
@Suite struct VKOutboundTests {
  static let token = VKAdapterTests.token

  static func sent(peer: Int64, cmid: Int64, id: Int64 = 0) -> StandInReply {
    .status(
      200,
      #"{"response":[{"peer_id":\#(peer),"message_id":\#(id),"conversation_message_id":\#(cmid)}]}"#
    )
  }

  static func vkError(_ code: Int, _ message: String) -> StandInReply {
    .status(
      200,
      #"{"error":{"error_code":\#(code),"error_msg":"\#(message)","request_params":[{"key":"method","value":"messages.send"},{"key":"oauth","value":"1"},{"key":"v","value":"5.199"}]}}"#
    )
  }

  static func message(
    id: String = "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE", to user: String = "589362184",
    thread: String? = nil, text: String? = "Заказ передан в доставку.",
    attachments: [JunctionModel.Attachment] = [], inReplyTo: String? = "589362184:1517",
    attempt: Int = 1
  ) -> OutboundMessage {
    OutboundMessage(
      messageId: id, conversationId: "conv_1", recipient: SenderProfile(externalId: user),
      threadKey: thread, text: text, attachments: attachments, inReplyToProviderId: inReplyTo,
      attempt: attempt)
  }

  func send(
    _ messages: [OutboundMessage], settings: JSONObject = JSONObject(),
    script: @escaping StandInServer.Script
  ) async throws -> ([SendResult], [ReceivedRequest]) {
    let provider = try StandInServer(script: script)
    defer { provider.stop() }
    let adapter = try VKAdapterTests.adapter(apiBase: provider.url + "/method", extra: settings)
    var results: [SendResult] = []
    for message in messages {
      results.append(await adapter.send(message, transport: LoopbackTransport()))
    }
    return (results, provider.requests)
  }

  func send(
    _ message: OutboundMessage, settings: JSONObject = JSONObject(),
    script: @escaping StandInServer.Script
  ) async throws -> (SendResult, [ReceivedRequest]) {
    let (results, requests) = try await send([message], settings: settings, script: script)
    return (results[0], requests)
  }

  @Test func aReplyIsOneFormPostWithAStableRandomId() async throws {
    let (result, requests) = try await send(Self.message()) { _ in
      Self.sent(peer: 589_362_184, cmid: 1530, id: 2860)
    }
    #expect(result == .sent(providerMessageId: "589362184:1530", details: JSONObject()))
    let request = try #require(requests.first)
    #expect(request.method == "POST")
    #expect(request.path == "/method/messages.send")
    #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    let form = request.form
    #expect(form["peer_ids"] == "589362184")
    #expect(form["message"] == "Заказ передан в доставку.")
    #expect(form["v"] == "5.199")
    #expect(form["access_token"] == Self.token)
    #expect(
      form["forward"].flatMap { try? JSON.parse(Array($0.utf8)) }
        == ["peer_id": 589_362_184, "conversation_message_ids": [1517], "is_reply": true])
    #expect(form["random_id"] == "247855873")
  }

  @Test func retriesReuseTheRandomIdAndOtherMessagesDoNot() async throws {
    let first = Self.message(attempt: 1)
    let retry = Self.message(attempt: 3)
    let other = Self.message(id: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CF")
    let part = Self.message(id: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE-2")
    let (_, requests) = try await send([first, retry, other, part]) { request in
      request.index < 2 ? .status(503) : Self.sent(peer: 589_362_184, cmid: 1)
    }
    let ids = requests.map { $0.form["random_id"] ?? "" }
    #expect(ids.count == 4)
    #expect(ids[0] == ids[1])
    #expect(Set(ids).count == 3)
    #expect(ids.allSatisfy { Int32($0) != nil && $0 != "0" })
  }

  @Test func aGroupChatReplyGoesToThePeerOfTheChat() async throws {
    let message = Self.message(to: "702431009", thread: "2000000003", inReplyTo: "2000000003:845")
    let (result, requests) = try await send(message) { _ in
      Self.sent(peer: 2_000_000_003, cmid: 850)
    }
    #expect(result == .sent(providerMessageId: "2000000003:850", details: JSONObject()))
    #expect(requests.first?.form["peer_ids"] == "2000000003")
    #expect(requests.first?.form["forward"]?.contains("845") == true)
  }

  @Test func quotesFollowTheSettingAndTheChat() async throws {
    let (_, never) = try await send(Self.message(), settings: ["quote_replies": "never"]) { _ in
      Self.sent(peer: 589_362_184, cmid: 1)
    }
    #expect(never.first?.form["forward"] == nil)
    let (_, elsewhere) = try await send(Self.message(inReplyTo: "2000000003:845")) { _ in
      Self.sent(peer: 589_362_184, cmid: 1)
    }
    #expect(elsewhere.first?.form["forward"] == nil)
    let (_, byId) = try await send(Self.message(inReplyTo: "589362184:id2841")) { _ in
      Self.sent(peer: 589_362_184, cmid: 1)
    }
    #expect(byId.first?.form["reply_to"] == "2841")
    #expect(byId.first?.form["forward"] == nil)
  }

  @Test func attachmentsGoOutAsLinks() async throws {
    let files = [
      JunctionModel.Attachment(
        kind: "document", url: "https://support.example.com/v1/blobs/b1?sig=1",
        filename: "label.pdf"),
      JunctionModel.Attachment(kind: "image", url: "https://cdn.example.com/box.jpg"),
    ]
    let (_, requests) = try await send(Self.message(attachments: files)) { _ in
      Self.sent(peer: 589_362_184, cmid: 1)
    }
    #expect(requests.count == 1)
    #expect(
      requests.first?.form["message"]
        == "Заказ передан в доставку.\n\nlabel.pdf: https://support.example.com/v1/blobs/b1?sig=1\n"
        + "image: https://cdn.example.com/box.jpg")

    let long = String(repeating: "а", count: 4090)
    let (results, split) = try await send(
      [Self.message(text: long, attachments: files), Self.message(text: long, attachments: files)]
    ) { request in Self.sent(peer: 589_362_184, cmid: Int64(10 + request.index)) }
    #expect(split.count == 4)
    #expect(split[0].form["message"] == long)
    #expect(split[1].form["message"]?.hasPrefix("label.pdf: ") == true)
    #expect(split[1].form["forward"] == nil)
    #expect(split[0].form["random_id"] != split[1].form["random_id"])
    #expect(split[0].form["random_id"] == split[2].form["random_id"])
    #expect(split[1].form["random_id"] == split[3].form["random_id"])
    #expect(results[0] == .sent(providerMessageId: "589362184:10", details: JSONObject()))
  }

  @Test(arguments: [
    (6, "Too many requests per second", "rate_limited", 1.0 as Double?),
    (9, "Flood control", "rate_limited", nil),
    (10, "Internal server error", "provider_error", nil),
  ])
  func transientVKErrorsAreRetried(
    _ code: Int, _ text: String, _ junction: String, _ after: Double?
  )
    async throws
  {
    let (result, _) = try await send(Self.message()) { _ in Self.vkError(code, text) }
    #expect(
      result
        == .retry(
          ProviderError(code: junction, message: text, httpStatus: 200, providerCode: String(code)),
          retryAfter: after))
  }

  @Test(arguments: [
    (900, "Can't send messages for users from blacklist", "recipient_blocked"),
    (901, "Can't send messages for users without permission", "recipient_unreachable"),
    (
      902, "Can't send messages to this user due to their privacy settings", "recipient_unreachable"
    ),
  ])
  func usersWhoCannotBeWrittenToAreUnreachable(_ code: Int, _ text: String, _ junction: String)
    async throws
  {
    let (result, _) = try await send(Self.message()) { _ in Self.vkError(code, text) }
    #expect(
      result
        == .failed(
          ProviderError(code: junction, message: text, httpStatus: 200, providerCode: String(code)),
          recipientUnreachable: true))
  }

  @Test(arguments: [
    (7, "Permission to perform this action is denied", "permission_denied"),
    (15, "Access denied: no access to call this method", "permission_denied"),
    (5, "User authorization failed: invalid access_token (4).", "auth_failed"),
    (914, "Message is too long", "message_too_long"),
  ])
  func otherVKErrorsArePermanent(_ code: Int, _ text: String, _ junction: String) async throws {
    let (result, _) = try await send(Self.message()) { _ in Self.vkError(code, text) }
    guard case .failed(let error, let unreachable, _) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == junction)
    #expect(error.providerCode == String(code))
    #expect(!unreachable)
  }

  @Test func anErrorInsideThePeersItemIsClassifiedToo() async throws {
    let (result, _) = try await send(Self.message()) { _ in
      .status(
        200,
        #"{"response":[{"peer_id":589362184,"error":{"code":901,"description":"Can't send messages for users without permission"}}]}"#
      )
    }
    guard case .failed(let error, true, _) = result else {
      Issue.record("expected unreachable, got \(result)")
      return
    }
    #expect(error.providerCode == "901")
  }

  @Test func httpErrorsAndGarbageAreRetriedAndTheTokenNeverLeaks() async throws {
    let (busy, _) = try await send(Self.message()) { _ in .status(502, "<html>Bad Gateway</html>") }
    guard case .retry(let busyError, _) = busy else {
      Issue.record("expected retry, got \(busy)")
      return
    }
    #expect(busyError.code == "http_502")
    let (garbage, _) = try await send(Self.message()) { _ in .status(200, "not json") }
    guard case .retry(let garbageError, _) = garbage else {
      Issue.record("expected retry, got \(garbage)")
      return
    }
    #expect(garbageError.code == "invalid_response")
    let (echo, _) = try await send(Self.message()) { request in
      Self.vkError(100, "One of the parameters specified was missing or invalid: \(request.text)")
    }
    guard case .failed(let echoError, _, _) = echo else {
      Issue.record("expected failure, got \(echo)")
      return
    }
    #expect(!echoError.message.contains(Self.token))
    #expect(echoError.code == "invalid_parameter")
  }

  @Test func aLegacyIntegerResponseIsAccepted() async throws {
    let (result, _) = try await send(Self.message()) { _ in .status(200, #"{"response":2861}"#) }
    #expect(result == .sent(providerMessageId: "589362184:id2861", details: JSONObject()))
  }

  @Test func aPeerThatIsNotANumberFailsWithoutACall() async throws {
    let (result, requests) = try await send(Self.message(to: "durov")) { _ in .status(200) }
    #expect(requests.isEmpty)
    guard case .failed(let error, true, _) = result else {
      Issue.record("expected unreachable, got \(result)")
      return
    }
    #expect(error.code == "invalid_recipient")
  }

  @Test func downloadsFetchTheEventsURLAndKeepItsName() async throws {
    let bytes = Array("%PDF-1.7 счёт".utf8)
    let files = try StandInServer { request in
      request.path == "/doc589362184_672093216"
        ? StandInReply(
          HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]),
            body: bytes))
        : request.path == "/busy" ? .status(503) : .status(404)
    }
    defer { files.stop() }
    let adapter = try VKAdapterTests.adapter()
    let url = files.url + "/doc589362184_672093216?hash=x&dl=y"
    let document = JunctionModel.Attachment(
      kind: "document", url: url, contentType: "application/pdf", filename: "Счёт 4512.pdf",
      providerFileId: url)
    #expect(
      await adapter.download(document, transport: LoopbackTransport(), maxBytes: 1 << 20)
        == .downloaded(
          DownloadedFile(bytes: bytes, contentType: "application/pdf", filename: "Счёт 4512.pdf")))
    let small = await adapter.download(document, transport: LoopbackTransport(), maxBytes: 4)
    guard case .failed(let tooLarge) = small else {
      Issue.record("expected failure, got \(small)")
      return
    }
    #expect(tooLarge.code == "too_large")
    let busy = JunctionModel.Attachment(kind: "image", url: files.url + "/busy")
    guard case .retry = await adapter.download(busy, transport: LoopbackTransport(), maxBytes: 100)
    else {
      Issue.record("a 503 was not retried")
      return
    }
    let video = JunctionModel.Attachment(kind: "video", caption: "unboxing")
    guard case .failed = await adapter.download(video, transport: LoopbackTransport(), maxBytes: 1)
    else {
      Issue.record("a video without URL did not fail")
      return
    }
  }

  @Test func randomIdsMatchAnIndependentSHA256AndSpreadOut() {
    // Values computed with Python's hashlib: the first 4 bytes of SHA-256, big-endian, signed.
    #expect(VKAdapter.randomId(for: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE") == 247_855_873)
    #expect(VKAdapter.randomId(for: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE#2") == 1_389_325_503)
    let ids = (0..<2000).map { VKAdapter.randomId(for: "msg_\($0)") }
    #expect(Set(ids).count == 2000)
    #expect(ids.contains { $0 < 0 } && ids.contains { $0 > 0 })
  }
}
