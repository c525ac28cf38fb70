import Foundation
import JunctionConfig
import JunctionModel
import JunctionTesting
import Testing

/// Messenger through a real gateway on loopback, with a stand-in Send API.
@Suite(.serialized) struct MessengerEndToEndTests {
  static let pageId = "107021588813337"
  static let psid = "6783529261686247"

  static func channel(apiBase: String) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "fb", adapter: "messenger",
      settings: ChannelSettings([
        "page_access_token": "EAAPage-e2e", "app_secret": .string(MetaEndToEnd.appSecret),
        "verify_token": .string(MetaEndToEnd.verifyToken), "api_base": .string(apiBase),
        "rate_per_second": 1000,
      ]))
  }

  static func millis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

  static func webhook(_ event: JSONObject) -> JSON {
    var messaging: JSONObject = [
      "sender": ["id": .string(psid)], "recipient": ["id": .string(pageId)],
      "timestamp": .int(millis()),
    ]
    for (key, value) in event { messaging[key] = value }
    return [
      "object": "page",
      "entry": [
        ["id": .string(pageId), "time": .int(millis()), "messaging": [.object(messaging)]]
      ],
    ]
  }

  @Test func aMessengerConversationRoundTrip() async throws {
    let provider = try StandInServer { request in
      .status(200, #"{"recipient_id":"\#(Self.psid)","message_id":"m_OUT\#(request.index)"}"#)
    }
    defer { provider.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { harness.stop() }
    let client = harness.client()

    let handshake = try client.request(
      "GET",
      "/v1/inbound/fb?hub.mode=subscribe&hub.challenge=998877&hub.verify_token=\(MetaEndToEnd.verifyToken)"
    )
    #expect(handshake.status == 200)
    #expect(handshake.text == "998877")

    let inbound = Self.webhook([
      "message": ["mid": "m_IN1", "text": "Do you ship to Berlin?"]
    ])
    #expect(try MetaEndToEnd.post(client, inbound, channel: "fb").status == 200)
    let echo = Self.webhook([
      "sender": ["id": .string(Self.pageId)], "recipient": ["id": .string(Self.psid)],
      "message": ["is_echo": true, "app_id": 1_517_776_481_860_111, "mid": "m_ECHO", "text": "x"],
    ])
    #expect(try MetaEndToEnd.post(client, echo, channel: "fb").status == 200)
    var events = try harness.events(client)
    #expect(MetaEndToEnd.data(events, "message.received").count == 1)
    let conversation = try #require(
      events.first { $0["type"] == "message.received" }?["conversation_id"]?.stringValue)

    let edit = Self.webhook([
      "message_edit": ["mid": "m_IN1", "text": "Do you ship to Munich?", "num_edit": 1]
    ])
    #expect(try MetaEndToEnd.post(client, edit, channel: "fb").status == 200)
    #expect(try MetaEndToEnd.post(client, edit, channel: "fb").status == 200)
    events = try harness.events(client)
    #expect(MetaEndToEnd.data(events, "message.edited").count == 1)
    #expect(MetaEndToEnd.data(events, "message.edited").first?["text"] == "Do you ship to Munich?")

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Yes, within 3 days."])
    #expect(reply.status == 202)
    let messageId = try #require(reply.json["message_id"]?.stringValue)
    let sent = try #require(try await MetaEndToEnd.waitForRequests(provider, 1).first)
    #expect(sent.path == "/v23.0/me/messages")
    #expect(sent.header("Authorization") == "Bearer EAAPage-e2e")
    #expect(sent.json["recipient"]?["id"] == .string(Self.psid))
    #expect(sent.json["messaging_type"] == "RESPONSE")
    #expect(sent.json["message"]?["text"] == "Yes, within 3 days.")
    events = try await MetaEndToEnd.waitForEvents(harness, client, type: "message.sent")
    #expect(MetaEndToEnd.data(events, "message.sent").first?["provider_message_id"] == "m_OUT0")

    let watermark = JSON.int(Self.millis())
    let delivery = Self.webhook(["delivery": ["mids": ["m_OUT0"], "watermark": watermark]])
    #expect(try MetaEndToEnd.post(client, delivery, channel: "fb").status == 200)
    let read = Self.webhook(["read": ["watermark": .int(Self.millis())]])
    #expect(try MetaEndToEnd.post(client, read, channel: "fb").status == 200)
    events = try harness.events(client)
    #expect(
      MetaEndToEnd.data(events, "message.delivered").first?["message_id"] == .string(messageId))
    #expect(MetaEndToEnd.data(events, "message.read").first?["message_id"] == .string(messageId))
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["messages"]?.arrayValue?.last?["status"] == "read")

    let postback = Self.webhook([
      "postback": ["title": "Talk to a human", "payload": "HUMAN", "mid": "m_PB1"]
    ])
    #expect(try MetaEndToEnd.post(client, postback, channel: "fb").status == 200)
    let texts = MetaEndToEnd.data(try harness.events(client), "message.received").compactMap {
      $0["message"]?["text"]?.stringValue
    }
    #expect(texts == ["Do you ship to Berlin?", "Talk to a human"])
  }

  @Test func aPersonWhoIsNotAvailableIsMarkedUnreachable() async throws {
    let provider = try StandInServer { _ in
      .status(
        400,
        #"{"error":{"message":"(#551) This person isn't available right now.","type":"OAuthException","code":551,"error_subcode":1545041,"fbtrace_id":"Bx1"}}"#
      )
    }
    defer { provider.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(apiBase: provider.url + "/v23.0")])
    defer { harness.stop() }
    let client = harness.client()
    _ = try MetaEndToEnd.post(
      client, Self.webhook(["message": ["mid": "m_IN9", "text": "hi"]]), channel: "fb")
    let conversation = try #require(
      try harness.events(client).first { $0["type"] == "message.received" }?["conversation_id"]?
        .stringValue)
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hello"])
    let events = try await MetaEndToEnd.waitForEvents(harness, client, type: "contact.unreachable")
    let failed = MetaEndToEnd.data(events, "message.failed").first
    #expect(failed?["error"]?["code"] == "recipient_unavailable")
    #expect(failed?["error"]?["provider_code"] == "551/1545041")
  }
}
