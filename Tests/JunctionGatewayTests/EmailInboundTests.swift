import Foundation
import JunctionConfig
import JunctionModel
import JunctionTesting
import Testing

/// Raw MIME posted to `POST /v1/inbound/{channel}` of an `email` channel, through a real
/// gateway on loopback: authentication, dedupe, files in the blob store, automatic mail and
/// bounces.
@Suite(.serialized) struct EmailInboundTests {
  static let token = "raw-mail-token-0123456789"

  static func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("adapters/email/fixtures/\(name)")
    return [UInt8](try Data(contentsOf: url))
  }

  func harness(reopenWindow: Double = 0) throws -> GatewayHarness {
    try GatewayHarness(
      channels: [
        ChannelInstanceConfig(
          id: "mail", adapter: "email",
          settings: ChannelSettings([
            "from": "Support <support@example.com>", "inbound_token": .string(Self.token),
            "max_message_bytes": .int(1 << 20), "poll_interval": 60.0, "starttls": "required",
            "tls_verify": true, "timeout": 10.0, "batch_size": 10, "rate_per_second": 5.0,
          ]))
      ], configure: { $0.conversations.reopenWindow = reopenWindow })
  }

  func post(
    _ client: TestHTTPClient, _ body: [UInt8], token: String? = token,
    type: String = "message/rfc822"
  ) throws -> TestResponse {
    var headers = [("Content-Type", type)]
    if let token { headers.append(("Authorization", "Bearer \(token)")) }
    return try client.request("POST", "/v1/inbound/mail", headers: headers, body: body)
  }

  @Test func onlyTheBearerTokenAndMessageRFC822AreAccepted() throws {
    let harness = try harness()
    defer { harness.stop() }
    let client = harness.client()
    let raw = try Self.fixture("plain_utf8.eml")
    #expect(try post(client, raw, token: nil).status == 401)
    #expect(try post(client, raw, token: "raw-mail-token-012345678X").status == 401)
    #expect(try post(client, raw, type: "text/plain").status == 415)
    #expect(try harness.events(client).filter { $0["type"] == "message.received" }.isEmpty)
    let big = Array(repeating: UInt8(ascii: "a"), count: (1 << 20) + 10)
    #expect(try post(client, big).status == 413)
  }

  @Test func aMessageIsStoredOnceWithItsFilesServed() throws {
    let harness = try harness()
    defer { harness.stop() }
    let client = harness.client()
    let raw = try Self.fixture("attachments_rfc2231.eml")
    let first = try post(client, raw)
    #expect(first.status == 200)
    #expect(first.json["duplicate"] == false)
    let again = try post(client, raw)
    #expect(again.json["duplicate"] == true)
    #expect(again.json["message_id"] == first.json["message_id"])
    let events = try harness.events(client)
    let received = events.filter { $0["type"] == "message.received" }
    #expect(received.count == 1)
    let files = received.first?["data"]?["message"]?["attachments"]?.arrayValue ?? []
    #expect(files.count == 3)
    #expect(events.filter { $0["type"] == "attachment.stored" }.count == 3)
    let pdf = try #require(files[1]["blob_id"]?.stringValue)
    let original = try #require(files[2]["blob_id"]?.stringValue)
    #expect(
      try harness.get(client, "/v1/attachments/\(pdf)").body == Array("%PDF-1.4 fake contract".utf8)
    )
    let served = try harness.get(client, "/v1/attachments/\(original)")
    #expect(served.body == raw)
    #expect(served.header("Content-Type") == "message/rfc822")

    let anonymous = try Self.fixture("no_message_id.eml")
    #expect(try post(client, anonymous).json["duplicate"] == false)
    #expect(try post(client, anonymous).json["duplicate"] == true)
  }

  @Test func automaticMailJoinsSilentlyOrIsRecordedWithoutAConversation() throws {
    let harness = try harness()
    defer { harness.stop() }
    let client = harness.client()
    let lonely = try post(client, try Self.fixture("auto_reply.eml"))
    #expect(lonely.status == 200)
    #expect(lonely.json["conversation_id"] == .null)
    var events = try harness.events(client)
    #expect(events.contains { $0["type"] == "message.ignored" })
    #expect(!events.contains { $0["type"] == "conversation.created" })
    #expect(!events.contains { $0["type"] == "contact.created" })

    let question = try post(client, try Self.fixture("plain_utf8.eml"))
    let conversation = try #require(question.json["conversation_id"]?.stringValue)
    try harness.waitRouted(client, conversation)
    var autoReply = try Self.fixture("auto_reply.eml")
    autoReply = Array(
      String(decoding: autoReply, as: UTF8.self).replacingOccurrences(
        of: "<vacation-1@example.ru>", with: "<vacation-2@example.ru>"
      ).utf8)
    let joined = try post(client, autoReply)
    #expect(joined.json["conversation_id"]?.stringValue == conversation)
    Thread.sleep(forTimeInterval: 0.3)
    events = try harness.events(client)
    let received = events.filter { $0["type"] == "message.received" }
    #expect(received.count == 2)
    #expect(received.last?["data"]?["message"]?["details"]?["automatic"] == true)
    #expect(events.filter { $0["type"] == "conversation.routed" }.count == 1)
    #expect(events.filter { $0["type"] == "conversation.created" }.count == 1)
  }

  @Test func aBounceForAnUnknownReplyChangesNothing() throws {
    let harness = try harness()
    defer { harness.stop() }
    let client = harness.client()
    let response = try post(client, try Self.fixture("dsn_failed.eml"))
    #expect(response.status == 200)
    #expect(response.json["applied"] == false)
    #expect(!(try harness.events(client)).contains { $0["type"] == "message.failed" })
  }

  /// The Gmail reply names the first mail in `References`; sent from another address it
  /// still finds that conversation, reopening it within the window, else starting anew.
  @Test(arguments: [3600.0, 0.0])
  func aReplyByReferenceToAResolvedConversation(reopenWindow: Double) throws {
    let harness = try harness(reopenWindow: reopenWindow)
    defer { harness.stop() }
    let client = harness.client()
    let question = try post(client, try Self.fixture("plain_utf8.eml"))
    let conversation = try #require(question.json["conversation_id"]?.stringValue)
    try harness.waitRouted(client, conversation)
    let resolved = try harness.postAPI(client, "POST", "/v1/conversations/\(conversation)/resolve")
    #expect(resolved.status == 200)
    let reply = Array(
      String(decoding: try Self.fixture("gmail_reply_ru.eml"), as: UTF8.self)
        .replacingOccurrences(of: "ivan.petrov@example.ru", with: "ivan@work.example").utf8)
    let answer = try post(client, reply)
    let reopened = try harness.events(client).contains { $0["type"] == "conversation.reopened" }
    if reopenWindow > 0 {
      #expect(answer.json["conversation_id"]?.stringValue == conversation)
      #expect(reopened)
    } else {
      #expect(answer.json["conversation_id"]?.stringValue != conversation)
      #expect(!reopened)
    }
  }
}
