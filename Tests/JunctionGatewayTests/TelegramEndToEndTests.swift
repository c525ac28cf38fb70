import Foundation
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// A Telegram bot channel through a real gateway on loopback: Telegram's webhook in, the
/// event feed, a helpdesk reply out to a stand-in Bot API, files fetched with `getFile`.
@Suite(.serialized) struct TelegramEndToEndTests {
  static let token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
  static let secret = "Jx7_k2-Qm9Vt4pLs0aZr"
  static let photo = Array("\u{FF}\u{D8} фото коробки \(String(repeating: "x", count: 2000))".utf8)

  static func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("adapters/telegram/fixtures/\(name)")
    return [UInt8](try Data(contentsOf: url))
  }

  /// A stand-in Bot API: `sendMessage` succeeds (message ids from 1400) unless `blocked`,
  /// `getFile` and the file endpoint serve ``photo``.
  static func botAPI(blockedAfter sends: Int = .max) throws -> StandInServer {
    try StandInServer { request in
      let method = request.path.split(separator: "/").last.map(String.init) ?? ""
      switch method {
      case "getFile":
        return .status(
          200,
          #"{"ok":true,"result":{"file_id":"AgACAgIAAxkBAAIBQ2VmX1large","file_unique_id":"AQADlarge","file_size":\#(photo.count),"file_path":"photos/file_3.jpg"}}"#
        )
      case "file_3.jpg":
        return StandInReply(HTTPResponse(status: 200, body: photo))
      default:
        let chat = request.json["chat_id"]?.intValue ?? 0
        if request.index >= sends {
          return .status(
            403,
            #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#
          )
        }
        return .status(
          200,
          #"{"ok":true,"result":{"message_id":\#(1400 + request.index),"chat":{"id":\#(chat),"type":"private"},"date":1795428700,"text":"ok"}}"#
        )
      }
    }
  }

  static func channel(_ api: StandInServer) -> ChannelInstanceConfig {
    ChannelInstanceConfig(
      id: "tg", adapter: "telegram",
      settings: ChannelSettings([
        "bot_token": .string(token), "secret_token": .string(secret),
        "api_base": .string(api.url), "rate_per_second": 1000,
      ]))
  }

  func webhook(
    _ client: TestHTTPClient, _ fixture: String, secret: String = secret
  ) throws -> TestResponse {
    try client.request(
      "POST", "/v1/inbound/tg",
      headers: [
        ("Content-Type", "application/json"), ("X-Telegram-Bot-Api-Secret-Token", secret),
      ], body: try Self.fixture(fixture))
  }

  @Test func aCustomerMessageIsAnsweredThroughTheBot() async throws {
    let api = try Self.botAPI()
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(api)])
    defer { harness.stop() }
    let client = harness.client()

    let refused = try webhook(client, "private-text.json", secret: "wrong")
    #expect(refused.status == 401)
    #expect(try harness.events(client).isEmpty)

    #expect(try webhook(client, "private-text.json").status == 200)
    #expect(try webhook(client, "private-text.json").status == 200)
    let received = try harness.events(client, types: "message.received")
    #expect(received.count == 1)
    let event = try #require(received.first)
    #expect(event["data"]?["message"]?["provider_message_id"] == "1111111:1365")
    #expect(event["data"]?["contact"]?["name"] == "Ana Lopez")
    let conversation = try #require(event["conversation_id"]?.stringValue)

    #expect(try webhook(client, "edited-message.json").status == 200)
    #expect(try webhook(client, "edited-message.json").status == 200)
    let edits = try harness.events(client, types: "message.edited")
    #expect(edits.count == 1)
    #expect(edits.first?["data"]?["text"] == "Hello, my order #4512 hasn't arrived yet")

    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Sorry! It ships today <b>for free</b>.", "author": "agent-7"])
    #expect(reply.status == 202)
    let sends = try await api.eventually(1)
    let send = try #require(sends.first)
    #expect(send.path == "/bot\(Self.token)/sendMessage")
    #expect(send.json["chat_id"] == 1_111_111)
    #expect(send.json["text"] == "Sorry! It ships today <b>for free</b>.")
    #expect(send.json["parse_mode"] == nil)
    #expect(send.json["reply_parameters"]?["message_id"] == 1365)

    let events = try await harness.eventually(client, type: "message.sent")
    let sent = try #require(events.first { $0["type"] == "message.sent" })
    #expect(sent["data"]?["provider_message_id"] == "1111111:1400")
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    let messages = view.json["messages"]?.arrayValue ?? []
    #expect(messages.count == 2)
    #expect(messages.last?["direction"] == "outbound")
    #expect(messages.last?["status"] == "sent")
  }

  @Test func aGroupGetsItsOwnConversationAndPhotosAreFetched() async throws {
    let api = try Self.botAPI()
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(api)])
    defer { harness.stop() }
    let client = harness.client()
    #expect(try webhook(client, "photo-caption.json").status == 200)
    #expect(try webhook(client, "group-text.json").status == 200)
    #expect(try webhook(client, "service-new-members.json").status == 200)
    #expect(try harness.events(client, types: "conversation.created").count == 2)
    #expect(try harness.events(client, types: "message.received").count == 2)

    let events = try await harness.eventually(client, type: "attachment.stored")
    let stored = try #require(events.first { $0["type"] == "attachment.stored" })
    let blob = try #require(stored["data"]?["blob"]?["id"]?.stringValue)
    let file = try harness.get(client, "/v1/attachments/\(blob)")
    #expect(file.body == Self.photo)
    #expect(file.header("Content-Type") == "image/jpeg")
    #expect(api.requests.map(\.path).contains("/file/bot\(Self.token)/photos/file_3.jpg"))

    let group = try #require(
      try harness.events(client, types: "message.received").first {
        $0["data"]?["message"]?["provider_message_id"] == "-1001873264519:88"
      })
    let conversation = try #require(group["conversation_id"]?.stringValue)
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Yes, delivery to Kyiv is free."])
    try await harness.eventually(client, type: "message.sent")
    let send = try #require(api.requests.first { $0.path.hasSuffix("/sendMessage") })
    #expect(send.json["chat_id"] == -1_001_873_264_519)
    #expect(send.json["reply_parameters"]?["message_id"] == 88)
  }

  @Test func aBlockedBotMarksTheContactUnreachable() async throws {
    let api = try Self.botAPI(blockedAfter: 0)
    defer { api.stop() }
    let harness = try GatewayHarness(channels: [Self.channel(api)])
    defer { harness.stop() }
    let client = harness.client()
    #expect(try webhook(client, "private-text.json").status == 200)
    let conversation = try #require(
      try harness.events(client, types: "message.received").first?["conversation_id"]?.stringValue)
    let path = "/v1/conversations/\(conversation)/messages"
    _ = try harness.postAPI(client, "POST", path, ["text": "Are you still there?"])
    let events = try await harness.eventually(client, type: "contact.unreachable")
    let failed = try #require(events.first { $0["type"] == "message.failed" })
    #expect(failed["data"]?["error"]?["code"] == "recipient_blocked")
    #expect(failed["data"]?["error"]?["provider_code"] == "403")
    #expect(!events.contains { $0["type"] == "message.retrying" })
    let again = try harness.postAPI(client, "POST", path, ["text": "Hello?"])
    #expect(again.json["status"] == "failed")
    try await Task.sleep(for: .milliseconds(200))
    #expect(api.requests.count == 1)
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
