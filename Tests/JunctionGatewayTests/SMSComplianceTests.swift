import Foundation
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// STOP / START / HELP on an SMS channel, the segment limit and segment details.
@Suite(.serialized) struct SMSComplianceTests {
  static let vonageOK =
    #"{"message-count": "1", "messages": [{"to": "79161234567", "message-id": "0C1", "status": "0"}]}"#

  func channel(api: String, maxSegments: Int = 10) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "sms", adapter: "vonage",
      settings: ChannelSettings([
        "api_key": "abcd1234", "api_secret": "s3cr3tVonage", "from": "447700900000",
        "api_base": .string(api), "public_url": "https://support.example.com/v1/inbound/sms",
        "rate_per_second": 100, "max_segments": .int(Int64(maxSegments)),
      ]))
  }

  func sms(_ client: TestHTTPClient, id: String, _ text: String) throws -> TestResponse {
    try client.request(
      "GET",
      "/v1/inbound/sms?"
        + FormEncoding.encode([
          ("msisdn", "79161234567"), ("to", "447700900000"), ("messageId", id), ("text", text),
          ("type", "unicode"), ("message-timestamp", "2026-11-24 10:20:00"),
        ]))
  }

  @Test func stopOptsOutWithOneConfirmationAndBlocksLaterRepliesUntilStart() throws {
    let api = try StandInServer { _ in .status(200, Self.vonageOK) }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [channel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    #expect(try sms(client, id: "m-1", "Где мой заказ?").status == 200)
    let conversation = try #require(
      harness.events(client, types: "message.received").first?["conversation_id"]?.stringValue)
    #expect(try sms(client, id: "m-2", "  стоп! ").status == 200)
    let events = try harness.waitForEvents(client, type: "message.sent")
    let optedOut = try #require(events.first { $0["type"] == "contact.opted_out" })
    #expect(optedOut["data"]?["channel"] == "sms")
    #expect(optedOut["data"]?["source"] == "keyword")
    let confirmation = try #require(api.waitForRequests(1).first)
    #expect(confirmation.form["text"]?.contains("СТАРТ") == true)
    // A second STOP: no second confirmation.
    #expect(try sms(client, id: "m-3", "STOP").status == 200)
    Thread.sleep(forTimeInterval: 0.3)
    #expect(api.requests.count == 1)
    // A helpdesk reply is refused; a transactional one still goes.
    let refused = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "Скидка 20%!"])
    #expect(refused.json["status"] == "failed")
    #expect(refused.json["error"]?["code"] == "opted_out")
    let contact = try harness.get(client, "/v1/conversations/\(conversation)").json["contact_id"]
    #expect(contact != nil)
    let transactional = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Заказ 48213 доставлен.", "transactional": true])
    #expect(transactional.json["status"] == "queued")
    // START opts back in.
    #expect(try sms(client, id: "m-4", "СТАРТ").status == 200)
    try harness.waitForEvents(client, type: "contact.opted_in")
    let again = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "С возвращением!"])
    #expect(again.json["status"] == "queued")
  }

  @Test func helpIsAnsweredAndAKeywordOnlyConversationIsNotLeftForAgents() throws {
    let api = try StandInServer { _ in .status(200, Self.vonageOK) }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [channel(api: api.url)])
    defer { harness.stop() }
    let client = harness.client()
    #expect(try sms(client, id: "h-1", "HELP").status == 200)
    let answer = try #require(api.waitForRequests(1).first)
    #expect(answer.form["text"]?.contains("STOP") == true)
    let events = try harness.waitForEvents(client, type: "conversation.resolved")
    let resolved = try #require(events.first { $0["type"] == "conversation.resolved" })
    #expect(resolved["data"]?["reason"] == "sms_keyword_help")
    #expect(!events.contains { $0["type"] == "conversation.routed" })
    let queues = try harness.get(client, "/v1/queues").json["queues"]?.arrayValue ?? []
    #expect(queues.allSatisfy { $0["depth"] == 0 })
  }

  @Test func repliesOverTheSegmentLimitAreRefusedAndSegmentsAreRecorded() throws {
    let api = try StandInServer { _ in .status(200, Self.vonageOK) }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [channel(api: api.url, maxSegments: 2)])
    defer { harness.stop() }
    let client = harness.client()
    #expect(try sms(client, id: "m-1", "Здравствуйте").status == 200)
    let conversation = try #require(
      harness.events(client, types: "message.received").first?["conversation_id"]?.stringValue)
    try harness.waitRouted(client, conversation)
    let path = "/v1/conversations/\(conversation)/messages"
    let before = try harness.events(client).count
    // 141 Cyrillic characters: 3 UCS-2 segments of 67.
    let tooLong = try harness.postAPI(
      client, "POST", path, ["text": .string(String(repeating: "ж", count: 141))])
    #expect(tooLong.status == 422)
    #expect(tooLong.json["error"]?["code"] == "too_many_segments")
    #expect(try harness.events(client).count == before)
    let fits = try harness.postAPI(
      client, "POST", path, ["text": .string(String(repeating: "ж", count: 134))])
    #expect(fits.status == 202)
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    let sent = view.json["messages"]?.arrayValue?.last
    #expect(sent?["sms"]?["encoding"] == "UCS-2")
    #expect(sent?["sms"]?["segments"] == 2)
  }
}
