import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel
import Testing

@Suite struct APIAdapterTests {
  static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
  let now = Timestamp(unixSeconds: 1_795_428_000)

  func adapter(outboundURL: String? = nil) throws -> APIAdapter {
    var settings: JSONObject = [
      "secret": .string(Self.secret), "tolerance": 300.0, "timeout": 15.0,
    ]
    if let outboundURL { settings["outbound_url"] = .string(outboundURL) }
    return try APIAdapter(
      instance: ChannelInstanceConfig(
        id: "web", adapter: "api", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "http://127.0.0.1:8080"))
  }

  func signedRequest(
    _ body: [UInt8], id: String = "wh-1", at timestamp: Int64? = nil, secret: String = secret
  )
    throws -> HTTPRequest
  {
    let timestamp = timestamp ?? now.unixSeconds
    let signer = try StandardWebhook(secret: secret)
    var headers = HTTPHeaders()
    headers.add("webhook-id", id)
    headers.add("webhook-timestamp", String(timestamp))
    headers.add("webhook-signature", signer.signature(id: id, timestamp: timestamp, body: body))
    return request(body, headers: headers)
  }

  func request(_ body: [UInt8], headers: HTTPHeaders = HTTPHeaders(), method: HTTPMethod = .post)
    -> HTTPRequest
  {
    var request = HTTPRequest(
      method: method, target: "/v1/inbound/web", headers: headers, body: body)
    request.pathParameters = ["channel": "web"]
    return request
  }

  func rejection(_ decision: InboundDecision) -> (Int, String)? {
    guard case .reject(let response) = decision else { return nil }
    let code = (try? JSON.parse(response.body))?["error"]?["code"]?.stringValue ?? ""
    return (response.status, code)
  }

  @Test func verifiesThePublishedStandardWebhooksExample() throws {
    let example = try JSON.parse(try Fixtures.bytes("api", "standard-webhooks-example.json"))
    let signer = try StandardWebhook(secret: try #require(example["secret"]?.stringValue))
    let body = Array(try #require(example["body"]?.stringValue).utf8)
    let timestamp = try #require(example["timestamp"]?.intValue)
    #expect(
      signer.signature(
        id: try #require(example["id"]?.stringValue), timestamp: timestamp, body: body)
        == example["signature"]?.stringValue)
  }

  @Test func parsesAFullMessage() throws {
    let body = try Fixtures.bytes("api", "message.json")
    let decision = try adapter().receive(try signedRequest(body), now: now)
    guard case .ingest(let items) = decision, case .message(let message) = items.first else {
      Issue.record("expected one message, got \(decision)")
      return
    }
    #expect(items.count == 1)
    #expect(message.providerMessageId == "m-1")
    #expect(
      message.sender
        == SenderProfile(
          externalId: "u-42", name: "Ann", email: "ann@example.com", phone: "+79161234567",
          language: "ru"))
    #expect(message.text == "Здравствуйте! Где мой заказ #12345?")
    #expect(message.attachments.first?.filename == "receipt.pdf")
    #expect(message.sentAt == Timestamp(unixSeconds: 1_795_341_600))
  }

  @Test(arguments: ["message-minimal.json", "message-attachment-only.json"])
  func acceptsMinimalShapes(_ fixture: String) throws {
    let decision = try adapter().receive(
      try signedRequest(try Fixtures.bytes("api", fixture)), now: now)
    guard case .ingest(let items) = decision else {
      Issue.record("expected ingest, got \(decision)")
      return
    }
    #expect(items.count == 1)
  }

  @Test func parsesDeliveryStatuses() throws {
    let decision = try adapter().receive(
      try signedRequest(try Fixtures.bytes("api", "status-failed.json")), now: now)
    guard case .ingest(let items) = decision, case .status(let status) = items.first else {
      Issue.record("expected a status, got \(decision)")
      return
    }
    #expect(status.messageId == "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE")
    #expect(status.status == .failed)
    #expect(status.error?["message"] == "recipient device unreachable")
  }

  @Test func rejectsUnsignedWronglySignedTamperedAndStaleRequests() throws {
    let adapter = try adapter()
    let body = try Fixtures.bytes("api", "message.json")
    #expect(rejection(adapter.receive(request(body), now: now))?.0 == 401)
    let wrongSecret = "whsec_" + Base64.encode(Array("another-secret-of-enough-length".utf8))
    #expect(
      rejection(adapter.receive(try signedRequest(body, secret: wrongSecret), now: now))?.0 == 401)
    var tampered = try signedRequest(body)
    tampered.body[10] ^= 1
    #expect(rejection(adapter.receive(tampered, now: now))?.0 == 401)
    let stale = try signedRequest(body, at: now.unixSeconds - 301)
    #expect(rejection(adapter.receive(stale, now: now))?.0 == 401)
    let future = try signedRequest(body, at: now.unixSeconds + 301)
    #expect(rejection(adapter.receive(future, now: now))?.0 == 401)
    let edge = try signedRequest(body, at: now.unixSeconds - 300)
    #expect(rejection(adapter.receive(edge, now: now)) == nil)
  }

  @Test(arguments: [
    (#"{"from": {"id": "u"}, "text": "x"}"#, "id: is required"),
    (#"{"id": "m", "text": "x"}"#, "from: is required"),
    (#"{"id": "m", "from": {"name": "A"}, "text": "x"}"#, "from.id: is required"),
    (#"{"id": "m", "from": {"id": "u"}}"#, "text: text or attachments is required"),
    (#"{"id": 5, "from": {"id": "u"}, "text": "x"}"#, "id: expected a string, found number"),
    (
      #"{"id": "m", "from": {"id": "u"}, "text": "x", "sent_at": "yesterday"}"#,
      "sent_at: expected an RFC 3339 timestamp"
    ),
    (
      #"{"id": "m", "from": {"id": "u"}, "attachments": [{"content_type": "a/b"}]}"#,
      "attachments[0].url: is required"
    ),
    (
      #"{"type": "status", "message_id": "x", "status": "lost"}"#,
      "status: expected \"delivered\", \"read\" or \"failed\""
    ),
  ])
  func namesTheFieldAtFault(_ body: String, _ message: String) throws {
    let decision = try adapter().receive(try signedRequest(Array(body.utf8)), now: now)
    guard case .reject(let response) = decision else {
      Issue.record("expected a rejection, got \(decision)")
      return
    }
    #expect(response.status == 400)
    let error = try JSON.parse(response.body)["error"]
    #expect(error?["code"] == "invalid_field")
    #expect(error?["message"]?.stringValue == message)
  }

  @Test func malformedJSONIs400() throws {
    let decision = try adapter().receive(try signedRequest(Array("{not json".utf8)), now: now)
    #expect(rejection(decision)?.0 == 400)
    #expect(rejection(decision)?.1 == "invalid_json")
  }

  @Test func acknowledgesWithIds() throws {
    let response = try adapter().acknowledge([
      .message(messageId: "msg_1", conversationId: "conv_1", duplicate: true)
    ])
    #expect(response.status == 200)
    #expect(
      try JSON.parse(response.body) == [
        "message_id": "msg_1", "conversation_id": "conv_1", "duplicate": true,
      ])
    #expect(try adapter().acknowledge([.status(messageId: nil, applied: false)]).status == 404)
  }

  @Test func rejectsASecretThatIsNotWhsec() {
    #expect(throws: ChannelError.self) {
      try APIAdapter(
        instance: ChannelInstanceConfig(
          id: "web", adapter: "api", settings: ChannelSettings(["secret": "plain"])),
        context: AdapterContext(publicURL: "http://x"))
    }
  }
}
