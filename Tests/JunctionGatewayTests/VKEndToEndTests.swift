import Foundation
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// A VK community channel through a real gateway on loopback: Callback API events in
/// (confirmation, `ok`, duplicates, echoes), the event feed, replies out to a stand-in VK API
/// with a `random_id` that survives retries, documents fetched from their URL.
@Suite(.serialized) struct VKEndToEndTests {
  static let secret = "Kx9mQ2vLp7RtW4zY"
  static let token = "vk1.a.Qm9ja0FjY2Vzc1Rva2VuRm9yVGVzdHM"
  static let invoice = Array("%PDF-1.7 счёт 4512 \(String(repeating: "x", count: 1500))".utf8)

  static func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("adapters/vk/fixtures/\(name)")
    return [UInt8](try Data(contentsOf: url))
  }

  /// A stand-in VK API: `messages.send` answers with `reply(index)`, documents are served.
  static func vkAPI(_ reply: @escaping @Sendable (ReceivedRequest) -> StandInReply) throws
    -> StandInServer
  {
    try StandInServer { request in
      if request.path.hasPrefix("/doc") {
        return StandInReply(HTTPResponse(status: 200, body: invoice))
      }
      return reply(request)
    }
  }

  static func sent(_ request: ReceivedRequest) -> StandInReply {
    let peer = request.form["peer_ids"] ?? "0"
    return .status(
      200,
      #"{"response":[{"peer_id":\#(peer),"message_id":0,"conversation_message_id":\#(1530 + request.index)}]}"#
    )
  }

  static func channel(_ api: StandInServer) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "vk", adapter: "vk",
      settings: ChannelSettings([
        "group_id": 219_875_432, "access_token": .string(token), "secret": .string(secret),
        "confirmation": "693d0ba9", "api_base": .string(api.url + "/method"),
        "rate_per_second": 1000,
      ]))
  }

  func event(_ client: TestHTTPClient, _ body: [UInt8]) throws -> TestResponse {
    try client.request(
      "POST", "/v1/inbound/vk", headers: [("Content-Type", "application/json")], body: body)
  }

  func event(_ client: TestHTTPClient, _ fixture: String) throws -> TestResponse {
    try event(client, try Self.fixture(fixture))
  }

  @Test func aCommunityMessageIsAnsweredWithOneVKMessageDespiteRetries() async throws {
    let api = try Self.vkAPI { request in
      request.index == 0
        ? .status(200, #"{"error":{"error_code":10,"error_msg":"Internal server error"}}"#)
        : Self.sent(request)
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(api)])
    defer { harness.stop() }
    let client = harness.client()

    let confirmation = try event(client, "confirmation.json")
    #expect(confirmation.status == 200)
    #expect(confirmation.body == Array("693d0ba9".utf8))

    var forged = try JSON.parse(try Self.fixture("message-new-text.json"))
    if case .object(var object) = forged {
      object["secret"] = "guess"
      forged = .object(object)
    }
    #expect(try event(client, forged.serialized()).status == 401)
    #expect(try harness.events(client).isEmpty)

    for _ in 0..<2 {
      let delivered = try event(client, "message-new-text.json")
      #expect(delivered.status == 200)
      #expect(delivered.body == Array("ok".utf8))
    }
    #expect(try event(client, "message-reply.json").body == Array("ok".utf8))
    #expect(try event(client, "message-typing-state.json").body == Array("ok".utf8))
    let received = try harness.events(client, types: "message.received")
    #expect(received.count == 1)
    let conversation = try #require(received.first?["conversation_id"]?.stringValue)
    #expect(received.first?["data"]?["message"]?["provider_message_id"] == "589362184:1517")

    #expect(try event(client, "message-edit.json").body == Array("ok".utf8))
    #expect(try harness.events(client, types: "message.edited").count == 1)

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Заказ передан в доставку, трек RA123456789RU."])
    #expect(reply.status == 202)
    let events = try await harness.eventually(client, type: "message.sent", timeout: 15)
    #expect(events.contains { $0["type"] == "message.retrying" })
    let sent = try #require(events.first { $0["type"] == "message.sent" })
    #expect(sent["data"]?["provider_message_id"] == "589362184:1531")
    let calls = api.requests.filter { $0.path == "/method/messages.send" }
    #expect(calls.count == 2)
    #expect(calls[0].form["random_id"] == calls[1].form["random_id"])
    #expect(calls[1].form["peer_ids"] == "589362184")
    #expect(calls[1].form["message"] == "Заказ передан в доставку, трек RA123456789RU.")
    #expect(calls[1].form["access_token"] == Self.token)
    #expect(calls[1].form["v"] == "5.199")
    #expect(calls[1].form["forward"]?.contains(#""conversation_message_ids":[1517]"#) == true)

    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["messages"]?.arrayValue?.last?["status"] == "sent")
  }

  @Test func groupChatsDocumentsAndUnreachableUsers() async throws {
    let api = try Self.vkAPI { request in
      request.form["peer_ids"] == "589362184"
        ? .status(
          200,
          #"{"error":{"error_code":901,"error_msg":"Can't send messages for users without permission"}}"#
        )
        : Self.sent(request)
    }
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(api)])
    defer { harness.stop() }
    let client = harness.client()

    let document = String(decoding: try Self.fixture("message-new-doc.json"), as: UTF8.self)
      .replacing("https://vk.com/doc589362184", with: api.url + "/doc589362184")
    #expect(try event(client, Array(document.utf8)).body == Array("ok".utf8))
    #expect(try event(client, "message-new-chat.json").body == Array("ok".utf8))
    #expect(try event(client, "message-new-chat-service.json").body == Array("ok".utf8))
    #expect(try harness.events(client, types: "conversation.created").count == 2)

    let stored = try await harness.eventually(client, type: "attachment.stored")
    let blob = try #require(
      stored.first { $0["type"] == "attachment.stored" }?["data"]?["blob"]?["id"]?.stringValue)
    let file = try harness.get(client, "/v1/attachments/\(blob)")
    #expect(file.body == Self.invoice)
    #expect(file.header("Content-Type") == "application/pdf")

    let messages = try harness.events(client, types: "message.received")
    func conversation(of provider: String) -> String? {
      messages.first { $0["data"]?["message"]?["provider_message_id"]?.stringValue == provider }?[
        "conversation_id"]?.stringValue
    }
    let chat = try #require(conversation(of: "2000000003:845"))
    let direct = try #require(conversation(of: "589362184:1519"))
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(chat)/messages", ["text": "Да, доставляем в Казань."])
    try await harness.eventually(client, type: "message.sent")
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(direct)/messages", ["text": "Получили счёт."])
    let events = try await harness.eventually(client, type: "contact.unreachable")
    let failed = try #require(events.first { $0["type"] == "message.failed" })
    #expect(failed["data"]?["error"]?["code"] == "recipient_unreachable")
    #expect(failed["data"]?["error"]?["provider_code"] == "901")
    let sends = api.requests.filter { $0.path == "/method/messages.send" }
    #expect(sends.map { $0.form["peer_ids"] } == ["2000000003", "589362184"])
  }
}

/// Waits that give the thread back while they wait (`Task.sleep`): Swift Testing runs tests on
/// the cooperative pool, which the gateway's delivery tasks share; blocking it (`Thread.sleep`)
/// starves them when several suites run at once on a small machine.
extension GatewayHarness {
  @discardableResult
  fileprivate func eventually(
    _ client: TestHTTPClient, type: String, count: Int = 1, timeout: Double = 15
  ) async throws -> [JSON] {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let all = try events(client)
      if all.filter({ $0["type"]?.stringValue == type }).count >= count || Date() > deadline {
        return all
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }
}

extension StandInServer {
  fileprivate func eventually(_ count: Int, timeout: Double = 15) async throws
    -> [ReceivedRequest]
  {
    let deadline = Date().addingTimeInterval(timeout)
    while requests.count < count && Date() < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    return requests
  }
}
