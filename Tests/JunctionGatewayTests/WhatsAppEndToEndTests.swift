import Foundation
import JunctionConfig
import JunctionDigest
import JunctionModel
import JunctionTesting
import Testing

/// Signing and posting Meta webhooks to a gateway under test (WhatsApp and Messenger).
enum MetaEndToEnd {
  static let appSecret = "5c1f0e9d8b7a6f5e4d3c2b1a09f8e7d6"
  static let verifyToken = "junction-verify-7f3a"

  static func signature(_ body: [UInt8]) -> String {
    "sha256="
      + Hex.encode(HMAC<SHA256>.authenticationCode(key: Array(appSecret.utf8), message: body))
  }

  /// POSTs `body` to `/v1/inbound/{channel}` as Meta would (compact JSON, signed).
  static func post(
    _ client: TestHTTPClient, _ body: JSON, channel: String, signature: String? = nil
  ) throws -> TestResponse {
    let bytes = body.serialized()
    return try client.request(
      "POST", "/v1/inbound/\(channel)",
      headers: [
        ("Content-Type", "application/json"),
        ("X-Hub-Signature-256", signature ?? Self.signature(bytes)),
      ], body: bytes)
  }

  static func data(_ events: [JSON], _ type: String) -> [JSON] {
    events.filter { $0["type"]?.stringValue == type }.compactMap { $0["data"] }
  }

  /// Waits, without blocking a concurrency thread (the gateway's outbox runs on that pool),
  /// until events of `type` number at least `count`; returns all events.
  @discardableResult
  static func waitForEvents(
    _ harness: GatewayHarness, _ client: TestHTTPClient, type: String, count: Int = 1,
    timeout: Double = 10
  ) async throws -> [JSON] {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let all = try harness.events(client)
      if data(all, type).count >= count || Date() > deadline { return all }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  /// Waits, without blocking, until `server` received at least `count` requests.
  @discardableResult
  static func waitForRequests(_ server: StandInServer, _ count: Int, timeout: Double = 10)
    async throws -> [ReceivedRequest]
  {
    let deadline = Date().addingTimeInterval(timeout)
    while server.requests.count < count && Date() < deadline {
      try await Task.sleep(for: .milliseconds(10))
    }
    return server.requests
  }
}

/// WhatsApp through a real gateway on loopback, with a stand-in Graph API.
@Suite(.serialized) struct WhatsAppEndToEndTests {
  static let phoneNumberId = "106540352242922"
  static let customer = "16505551234"

  static func channel(apiBase: String, template: JSON? = nil) -> ChannelInstanceConfig {
    var settings: JSONObject = [
      "phone_number_id": .string(phoneNumberId), "access_token": "EAAG-e2e-token",
      "app_secret": .string(MetaEndToEnd.appSecret),
      "verify_token": .string(MetaEndToEnd.verifyToken), "api_base": .string(apiBase),
      "rate_per_second": 1000,
    ]
    if let template { settings["template"] = template }
    return ChannelInstanceConfig(id: "wa", adapter: "whatsapp", settings: ChannelSettings(settings))
  }

  static func value(_ fields: JSONObject) -> JSON {
    var value: JSONObject = [
      "messaging_product": "whatsapp",
      "metadata": [
        "display_phone_number": "15550783881", "phone_number_id": .string(phoneNumberId),
      ],
    ]
    for (key, field) in fields { value[key] = field }
    return [
      "object": "whatsapp_business_account",
      "entry": [
        ["id": "102290129340398", "changes": [["value": .object(value), "field": "messages"]]]
      ],
    ]
  }

  /// A customer's text message as WhatsApp posts it, sent `age` seconds ago.
  static func inbound(
    _ text: String, id: String, from: String = customer, name: String = "Sheena Nelson",
    age: Double = 5
  ) -> JSON {
    let sent = Int64(Date().timeIntervalSince1970 - age)
    return value([
      "contacts": [["profile": ["name": .string(name)], "wa_id": .string(from)]],
      "messages": [
        [
          "from": .string(from), "id": .string(id), "timestamp": .string(String(sent)),
          "type": "text", "text": ["body": .string(text)],
        ]
      ],
    ])
  }

  static func status(_ wamid: String, _ status: String, errors: JSON? = nil) -> JSON {
    var item: JSONObject = [
      "id": .string(wamid), "status": .string(status),
      "timestamp": .string(String(Int64(Date().timeIntervalSince1970))),
      "recipient_id": .string(customer),
    ]
    if let errors { item["errors"] = errors }
    return value(["statuses": [.object(item)]])
  }

  /// A Graph API answering every send with a fresh wamid (`wamid.OUT<n>`).
  static func graphAPI() throws -> StandInServer {
    try StandInServer { request in
      .status(
        200,
        #"{"messaging_product":"whatsapp","contacts":[{"input":"\#(customer)","wa_id":"\#(customer)"}],"messages":[{"id":"wamid.OUT\#(request.index)"}]}"#
      )
    }
  }

  @Test func aWhatsAppConversationRoundTrip() async throws {
    let provider = try Self.graphAPI()
    defer { provider.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { harness.stop() }
    let client = harness.client()

    let handshake = try client.request(
      "GET",
      "/v1/inbound/wa?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=\(MetaEndToEnd.verifyToken)"
    )
    #expect(handshake.status == 200)
    #expect(handshake.text == "1158201444")
    let wrongToken = try client.request(
      "GET", "/v1/inbound/wa?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess")
    #expect(wrongToken.status == 403)

    let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    let body = Self.inbound("Does it come in another color?", id: wamid)
    let forged = try MetaEndToEnd.post(
      client, body, channel: "wa", signature: "sha256=" + String(repeating: "0", count: 64))
    #expect(forged.status == 401)
    #expect(try harness.events(client).isEmpty)

    #expect(try MetaEndToEnd.post(client, body, channel: "wa").status == 200)
    #expect(try MetaEndToEnd.post(client, body, channel: "wa").status == 200, "Meta's retry")
    var events = try harness.events(client)
    let received = MetaEndToEnd.data(events, "message.received")
    #expect(received.count == 1)
    #expect(received.first?["contact"]?["name"] == "Sheena Nelson")
    #expect(received.first?["contact"]?["phone"] == "+16505551234")
    let conversation = try #require(
      events.first { $0["type"] == "message.received" }?["conversation_id"]?.stringValue)

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Yes: blue and green.", "author": "agent-7"])
    #expect(reply.status == 202)
    let messageId = try #require(reply.json["message_id"]?.stringValue)
    let sent = try #require(try await MetaEndToEnd.waitForRequests(provider, 1).first)
    #expect(sent.path == "/v23.0/\(Self.phoneNumberId)/messages")
    #expect(sent.header("Authorization") == "Bearer EAAG-e2e-token")
    #expect(sent.json["to"] == .string(Self.customer))
    #expect(sent.json["text"]?["body"] == "Yes: blue and green.")
    #expect(sent.json["context"]?["message_id"] == .string(wamid))
    events = try await MetaEndToEnd.waitForEvents(harness, client, type: "message.sent")
    #expect(MetaEndToEnd.data(events, "message.sent").first?["provider_message_id"] == "wamid.OUT0")

    for state in ["sent", "delivered", "read"] {
      let answer = try MetaEndToEnd.post(client, Self.status("wamid.OUT0", state), channel: "wa")
      #expect(answer.status == 200)
    }
    events = try harness.events(client)
    #expect(
      MetaEndToEnd.data(events, "message.delivered").first?["message_id"] == .string(messageId))
    #expect(MetaEndToEnd.data(events, "message.read").first?["message_id"] == .string(messageId))
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["messages"]?.arrayValue?.last?["status"] == "read")

    // A later reply WhatsApp fails asynchronously (the window closed meanwhile).
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "Anything else?"])
    try await MetaEndToEnd.waitForRequests(provider, 2)
    try await MetaEndToEnd.waitForEvents(harness, client, type: "message.sent", count: 2)
    let failure: JSON = [
      [
        "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
        "error_data": [
          "details":
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
        ],
      ]
    ]
    #expect(
      try MetaEndToEnd.post(
        client, Self.status("wamid.OUT1", "failed", errors: failure), channel: "wa"
      ).status == 200)
    let failed = MetaEndToEnd.data(try harness.events(client), "message.failed")
    #expect(failed.first?["error"]?["code"] == "outside_reply_window")
    #expect(failed.first?["error"]?["provider_code"] == "131047")
  }

  @Test func outsideTheWindowTheTemplateGoesOrThePolicyRefuses() async throws {
    let provider = try Self.graphAPI()
    defer { provider.stop() }
    let template: JSON = ["name": "support_followup", "language": "ru", "text_parameter": true]
    let withTemplate = try GatewayHarness(
      channels: [Self.channel(apiBase: provider.url + "/v23.0", template: template)])
    defer { withTemplate.stop() }
    let client = withTemplate.client()
    _ = try MetaEndToEnd.post(
      client, Self.inbound("Где заказ?", id: "wamid.OLD1", age: 2 * 86_400), channel: "wa")
    let conversation = try #require(
      try withTemplate.events(client).first { $0["type"] == "message.received" }?[
        "conversation_id"]?.stringValue)
    let reply = try withTemplate.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Заказ отправлен,\nномер 42."])
    #expect(reply.status == 202)
    let sent = try #require(try await MetaEndToEnd.waitForRequests(provider, 1).first)
    #expect(sent.json["type"] == "template")
    #expect(sent.json["template"]?["name"] == "support_followup")
    #expect(
      sent.json["template"]?["components"]?[0]?["parameters"]?[0]?["text"]
        == "Заказ отправлен, номер 42.")
    try await MetaEndToEnd.waitForEvents(withTemplate, client, type: "message.sent")

    let plain = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { plain.stop() }
    let other = plain.client()
    _ = try MetaEndToEnd.post(
      other, Self.inbound("Где заказ?", id: "wamid.OLD2", age: 2 * 86_400), channel: "wa")
    let second = try #require(
      try plain.events(other).first { $0["type"] == "message.received" }?["conversation_id"]?
        .stringValue)
    _ = try plain.postAPI(
      other, "POST", "/v1/conversations/\(second)/messages", ["text": "Заказ отправлен."])
    let failed = MetaEndToEnd.data(
      try await MetaEndToEnd.waitForEvents(plain, other, type: "message.failed"), "message.failed")
    #expect(failed.first?["error"]?["code"] == "outside_reply_window")
    try await Task.sleep(for: .milliseconds(200))
    #expect(provider.requests.count == 1, "nothing was sent without a template")
  }

  @Test func aWhatsAppContactAndAnSMSIdentityWithTheSamePhoneAreOneContact() async throws {
    let provider = try Self.graphAPI()
    defer { provider.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { harness.stop() }
    let client = harness.client()
    _ = try MetaEndToEnd.post(
      client, Self.inbound("Привет", id: "wamid.RU1", from: "79161234567", name: "Иван"),
      channel: "wa")
    let sms = try harness.post(
      client,
      [
        "id": "sms-1", "from": ["id": "+79161234567", "phone": "+79161234567"],
        "text": "Это я же, по SMS",
      ])
    #expect(sms.status == 200)
    let events = try harness.events(client)
    let received = MetaEndToEnd.data(events, "message.received")
    #expect(received.count == 2)
    let contacts = Set(received.compactMap { $0["contact"]?["id"]?.stringValue })
    #expect(contacts.count == 1)
    #expect(MetaEndToEnd.data(events, "contact.created").count == 1)
    #expect(MetaEndToEnd.data(events, "contact.identity_added").count == 1)
  }

  @Test func anUndeliverableNumberMarksTheContactUnreachable() async throws {
    let provider = try StandInServer { _ in
      .status(
        400,
        #"{"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026,"error_data":{"messaging_product":"whatsapp","details":"Message Undeliverable."},"fbtrace_id":"AyZ1"}}"#
      )
    }
    defer { provider.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { harness.stop() }
    let client = harness.client()
    _ = try MetaEndToEnd.post(client, Self.inbound("hi", id: "wamid.U1"), channel: "wa")
    let conversation = try #require(
      try harness.events(client).first { $0["type"] == "message.received" }?["conversation_id"]?
        .stringValue)
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hello"])
    let events = try await MetaEndToEnd.waitForEvents(harness, client, type: "contact.unreachable")
    #expect(MetaEndToEnd.data(events, "message.failed").first?["error"]?["code"] == "undeliverable")
    #expect(MetaEndToEnd.data(events, "contact.unreachable").first?["channel"] == "wa")
    #expect(provider.requests.count == 1)
  }
}
