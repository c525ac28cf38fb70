import Foundation
import JunctionAdapters
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Twilio and Vonage through a real gateway on loopback: webhook in → events; helpdesk reply
/// → stand-in provider API; provider status → `message.delivered`.
@Suite(.serialized) struct SMSEndToEndTests {
  static let twilioToken = "9c1e7f4a2b8d6e0f3a5c7b9d1e3f5a7c"
  /// The URL registered at Twilio: Junction sits behind a proxy and sees another one.
  static let twilioURL = "https://support.example.com/v1/inbound/sms-twilio"

  func twilioChannel(api: String) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "sms-twilio", adapter: "twilio",
      settings: ChannelSettings([
        "account_sid": "AC00000000000000000000000000000001",
        "auth_token": .string(Self.twilioToken),
        "from": "+15558675310", "public_url": .string(Self.twilioURL), "api_base": .string(api),
        "rate_per_second": 100,
      ]))
  }

  func twilioPost(_ client: TestHTTPClient, _ parameters: [(String, String)]) throws
    -> TestResponse
  {
    let signature = TwilioSignature(authToken: Self.twilioToken).signature(
      url: Self.twilioURL, parameters: parameters.map { (name: $0.0, value: $0.1) })
    return try client.request(
      "POST", "/v1/inbound/sms-twilio",
      headers: [
        ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature),
      ], body: Array(FormEncoding.encode(parameters).utf8))
  }

  @Test func twilioMessageReplyAndDeliveryCallback() async throws {
    let api = try StandInServer { request in
      .status(201, #"{"sid": "SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", "status": "queued"}"#)
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [twilioChannel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    let inbound: [(String, String)] = [
      ("MessageSid", "SM1f0e8ae6ade43cb3c0ce4525424e404f"),
      ("AccountSid", "AC00000000000000000000000000000001"),
      ("From", "+14017122661"), ("To", "+15558675310"), ("Body", "Где мой заказ?"),
      ("NumMedia", "0"), ("SmsStatus", "received"), ("ApiVersion", "2010-04-01"),
    ]
    let answer = try twilioPost(client, inbound)
    #expect(answer.status == 200)
    #expect(answer.text == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
    // Twilio does not retry, but a duplicate must never be a second message.
    #expect(try twilioPost(client, inbound).status == 200)
    let received = try harness.events(client, types: "message.received")
    #expect(received.count == 1)
    let message = received.first?["data"]?["message"]
    #expect(message?["text"] == "Где мой заказ?")
    #expect(received.first?["data"]?["contact"]?["phone"] == "+14017122661")
    let conversation = try #require(received.first?["conversation_id"]?.stringValue)

    // Wrongly signed: refused, nothing stored.
    let forged = try client.request(
      "POST", "/v1/inbound/sms-twilio",
      headers: [
        ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", "AAAA"),
      ],
      body: Array("MessageSid=SM2&From=%2B1&Body=x".utf8))
    #expect(forged.status == 401)

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Ваш заказ в пути, трек 4815"])
    #expect(reply.status == 202)
    let messageId = try #require(reply.json["message_id"]?.stringValue)
    let request = try #require(await api.awaitRequests(1).first)
    #expect(request.path == "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json")
    #expect(request.form["To"] == "+14017122661")
    #expect(request.form["From"] == "+15558675310")
    #expect(request.form["Body"] == "Ваш заказ в пути, трек 4815")
    #expect(request.form["StatusCallback"] == Self.twilioURL)
    let sent = try await harness.awaitEvents(client, type: "message.sent").first {
      $0["type"] == "message.sent"
    }
    #expect(sent?["data"]?["provider_message_id"] == "SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")

    for status in ["sending", "sent", "delivered"] {
      let callback = try twilioPost(
        client,
        [
          ("MessageSid", "SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"), ("MessageStatus", status),
          ("SmsStatus", status), ("To", "+14017122661"), ("From", "+15558675310"),
          ("AccountSid", "AC00000000000000000000000000000001"), ("ApiVersion", "2010-04-01"),
        ])
      #expect(callback.status == 200)
    }
    let delivered = try await harness.awaitEvents(client, type: "message.delivered").filter {
      $0["type"] == "message.delivered"
    }
    #expect(delivered.count == 1)
    #expect(delivered.first?["data"]?["message_id"]?.stringValue == messageId)
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["messages"]?.arrayValue?.last?["status"] == "delivered")
  }

  @Test func twilioOptedOutRecipientMarksTheContact() async throws {
    let api = try StandInServer { _ in
      .status(
        400,
        #"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}"#
      )
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [twilioChannel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    _ = try twilioPost(
      client, [("MessageSid", "SM1"), ("From", "+14017122661"), ("Body", "hello")])
    let conversation = try #require(
      try harness.events(client, types: "message.received").first?["conversation_id"]?.stringValue)
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hi"])
    let events = try await harness.awaitEvents(client, type: "contact.opted_out")
    let failed = try #require(events.first { $0["type"] == "message.failed" })
    #expect(failed["data"]?["error"]?["code"] == "opted_out")
    #expect(failed["data"]?["error"]?["provider_code"] == "21610")
    #expect(events.first { $0["type"] == "contact.opted_out" }?["data"]?["channel"] == "sms-twilio")
    #expect(api.requests.count == 1)
  }

  @Test func twilioMMSMediaIsFetchedWithBasicAuthIntoTheBlobStore() async throws {
    let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 2048)
    // Twilio's media URL answers with a redirect to short-lived storage on another host.
    let storage = try StandInServer { _ in
      StandInReply(
        HTTPResponse(
          status: 200, headers: HTTPHeaders([("Content-Type", "image/jpeg")]), body: photo))
    }
    defer { storage.stop() }
    let api = try StandInServer { _ in
      StandInReply(
        HTTPResponse(
          status: 307,
          headers: HTTPHeaders([("Location", "http://localhost:\(storage.port)/s3/ME1.jpg")])))
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [twilioChannel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    let media =
      api.url + "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/MM1/Media/ME1"
    let answer = try twilioPost(
      client,
      [
        ("MessageSid", "MM1"), ("From", "+14017122661"), ("Body", ""), ("NumMedia", "1"),
        ("MediaUrl0", media), ("MediaContentType0", "image/jpeg"),
      ])
    #expect(answer.status == 200)
    let events = try await harness.awaitEvents(client, type: "attachment.stored")
    let stored = try #require(events.first { $0["type"] == "attachment.stored" })
    let blobId = try #require(stored["data"]?["blob"]?["id"]?.stringValue)
    #expect(try harness.get(client, "/v1/attachments/\(blobId)").body == photo)
    #expect(api.requests.first?.header("Authorization")?.hasPrefix("Basic ") == true)
    #expect(storage.requests.first?.header("Authorization") == nil)
  }

  func vonageChannel(api: String) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "sms-vonage", adapter: "vonage",
      settings: ChannelSettings([
        "api_key": "abcd1234", "api_secret": "s3cr3tVonage", "from": "447700900000",
        "api_base": .string(api), "public_url": "https://support.example.com/v1/inbound/sms-vonage",
        "rate_per_second": 100,
      ]))
  }

  func vonagePart(_ index: Int, _ text: String) -> String {
    FormEncoding.encode([
      ("msisdn", "79161234567"), ("to", "447700900000"), ("messageId", "0B00000012AB34C\(index)"),
      ("text", text), ("type", "unicode"), ("keyword", "ДОБРЫЙ"),
      ("message-timestamp", "2026-11-24 10:20:0\(index)"), ("concat", "true"),
      ("concat-ref", "108"), ("concat-total", "3"), ("concat-part", String(index)),
    ])
  }

  @Test func vonagePartsOutOfOrderBecomeOneMessageAndTheReplyIsDelivered() async throws {
    let api = try StandInServer { _ in
      .status(
        200,
        #"{"message-count": "1", "messages": [{"to": "79161234567", "message-id": "0C000000217B7F02", "status": "0", "remaining-balance": "15.53590000", "message-price": "0.03330000", "network": "25001"}]}"#
      )
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [vonageChannel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    let texts = [1: "Добрый день! ", 2: "Интернет не работает ", 3: "с самого утра."]
    for index in [3, 1, 3, 2] {
      let response = try client.request(
        "GET", "/v1/inbound/sms-vonage?" + vonagePart(index, texts[index] ?? ""))
      #expect(response.status == 200)
      #expect(response.body.isEmpty)
    }
    let received = try harness.events(client, types: "message.received")
    #expect(received.count == 1)
    #expect(
      received.first?["data"]?["message"]?["text"]
        == "Добрый день! Интернет не работает с самого утра.")
    #expect(received.first?["data"]?["contact"]?["phone"] == "+79161234567")
    let conversation = try #require(received.first?["conversation_id"]?.stringValue)

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Проверяем линию, ответим до 18:00."])
    let messageId = try #require(reply.json["message_id"]?.stringValue)
    let request = try #require(await api.awaitRequests(1).first)
    #expect(request.path == "/sms/json")
    #expect(request.form["to"] == "79161234567")
    #expect(request.form["type"] == "unicode")
    #expect(request.form["text"] == "Проверяем линию, ответим до 18:00.")
    #expect(request.form["client-ref"] == messageId)
    #expect(request.form["callback"] == "https://support.example.com/v1/inbound/sms-vonage")
    try await harness.awaitEvents(client, type: "message.sent")

    let receipt = FormEncoding.encode([
      ("msisdn", "79161234567"), ("to", "447700900000"), ("network-code", "25001"),
      ("messageId", "0C000000217B7F02"), ("price", "0.03330000"), ("status", "delivered"),
      ("scts", "2611241031"), ("err-code", "0"), ("client-ref", messageId),
      ("message-timestamp", "2026-11-24 10:31:12"),
    ])
    let answer = try client.request(
      "POST", "/v1/inbound/sms-vonage",
      headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(receipt.utf8))
    #expect(answer.status == 200)
    let delivered = try await harness.awaitEvents(client, type: "message.delivered").first {
      $0["type"] == "message.delivered"
    }
    #expect(delivered?["data"]?["message_id"]?.stringValue == messageId)
    #expect(delivered?["data"]?["provider_message_id"] == "0C000000217B7F02")
  }

  @Test func vonageRefusingBehindHTTP200FailsTheReply() async throws {
    let api = try StandInServer { _ in
      .status(
        200,
        #"{"message-count": "1", "messages": [{"status": "15", "error-text": "Illegal Sender Address - rejected"}]}"#
      )
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [vonageChannel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    let query = FormEncoding.encode([
      ("msisdn", "447700900001"), ("to", "447700900000"), ("messageId", "0A0000001234567B"),
      ("text", "Hello"), ("type", "text"),
    ])
    #expect(try client.request("GET", "/v1/inbound/sms-vonage?" + query).status == 200)
    let conversation = try #require(
      try harness.events(client, types: "message.received").first?["conversation_id"]?.stringValue)
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "Hi there"])
    let failed = try await harness.awaitEvents(client, type: "message.failed").first {
      $0["type"] == "message.failed"
    }
    #expect(failed?["data"]?["error"]?["code"] == "invalid_sender")
    #expect(failed?["data"]?["error"]?["provider_code"] == "15")
    #expect(failed?["data"]?["error"]?["message"] == "Illegal Sender Address - rejected")
    #expect(api.requests.count == 1)
  }
}

extension GatewayHarness {
  /// Waits until events of `type` number at least `count` and returns all events — without
  /// holding a thread of the Swift concurrency pool, on which the outbox sends.
  @discardableResult
  func awaitEvents(_ client: TestHTTPClient, type: String, count: Int = 1, timeout: Double = 20)
    async throws -> [JSON]
  {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let all = try events(client)
      if all.filter({ $0["type"]?.stringValue == type }).count >= count || Date() > deadline {
        return all
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
  }
}

extension StandInServer {
  /// Waits until `count` requests arrived (or `timeout` seconds passed), without holding a
  /// thread of the Swift concurrency pool.
  func awaitRequests(_ count: Int, timeout: Double = 15) async -> [ReceivedRequest] {
    let deadline = Date().addingTimeInterval(timeout)
    while requests.count < count, Date() < deadline {
      try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return requests
  }
}
