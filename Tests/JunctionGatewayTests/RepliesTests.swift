import Foundation
import JunctionDigest
import JunctionModel
import JunctionTesting
import Testing

/// Replies from a helpdesk travel out through the `api` channel to a stand-in provider.
@Suite(.serialized) struct RepliesTests {
  @Test func aReplyReachesTheProviderSignedAndExactlyOnce() throws {
    let provider = try StandInServer { _ in .status(200, #"{"id":"prov-1"}"#) }
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/replies")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-42", "Где заказ?")
    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "Ваш заказ в пути", "author": "agent-7"])
    #expect(reply.status == 202)
    #expect(reply.json["status"] == "queued")
    let messageId = try #require(reply.json["message_id"]?.stringValue)

    let received = provider.waitForRequests(1)
    #expect(received.count == 1)
    let request = try #require(received.first)
    #expect(request.path == "/replies")
    #expect(request.json["id"]?.stringValue == messageId)
    #expect(request.json["to"]?["id"] == "u-42")
    #expect(request.json["text"] == "Ваш заказ в пути")
    #expect(request.json["in_reply_to"] == "m-1")
    let webhook = try StandardWebhook(secret: harness.secret)
    #expect(request.header("webhook-id") == messageId)
    try webhook.verify(
      id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
      signature: request.header("webhook-signature"), body: request.body,
      now: Timestamp.now().unixSeconds, tolerance: 300)

    let events = try harness.waitForEvents(client, type: "message.sent")
    let sent = try #require(events.first { $0["type"] == "message.sent" })
    #expect(sent["data"]?["message_id"]?.stringValue == messageId)
    #expect(sent["data"]?["provider_message_id"] == "prov-1")
    #expect(events.contains { $0["type"] == "message.queued" })
    Thread.sleep(forTimeInterval: 0.3)
    #expect(provider.requests.count == 1)

    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    let messages = view.json["messages"]?.arrayValue ?? []
    #expect(messages.count == 2)
    #expect(messages.last?["direction"] == "outbound")
    #expect(messages.last?["status"] == "sent")
    #expect(messages.last?["author"] == "agent-7")
  }

  @Test func aProviderAnswering500ThenGetsTheReplyOnRetry() throws {
    let provider = try StandInServer { request in
      request.index == 0 ? .status(500, #"{"error":"busy"}"#) : .status(200)
    }
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hello"])
    let events = try harness.waitForEvents(client, type: "message.sent", timeout: 15)
    let retrying = try #require(events.first { $0["type"] == "message.retrying" })
    #expect(retrying["data"]?["error"]?["code"] == "http_500")
    #expect(retrying["data"]?["attempt"] == 1)
    let sent = events.filter { $0["type"] == "message.sent" }
    #expect(sent.count == 1)
    #expect(sent.first?["data"]?["attempt"] == 2)
    #expect(provider.requests.count == 2)
    #expect(provider.requests[0].header("webhook-id") == provider.requests[1].header("webhook-id"))
  }

  @Test func aPermanentErrorFailsAtOnceWithTheProvidersError() throws {
    let provider = try StandInServer { _ in .status(400, #"{"error":"unknown recipient"}"#) }
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hello"])
    let events = try harness.waitForEvents(client, type: "message.failed")
    let failed = try #require(events.first { $0["type"] == "message.failed" })
    #expect(failed["data"]?["error"]?["code"] == "http_400")
    #expect(
      failed["data"]?["error"]?["message"]?.stringValue?.contains("unknown recipient") == true)
    #expect(!events.contains { $0["type"] == "message.retrying" })
    #expect(provider.requests.count == 1)
  }

  @Test func anIdempotencyKeyMakesARepeatReturnTheFirstAnswerAndSendOnce() throws {
    let provider = try StandInServer()
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    let path = "/v1/conversations/\(conversation)/messages"
    let first = try harness.postAPI(
      client, "POST", path, ["text": "once"], headers: [("Idempotency-Key", "reply-1")])
    let second = try harness.postAPI(
      client, "POST", path, ["text": "once"], headers: [("Idempotency-Key", "reply-1")])
    #expect(first.status == 202)
    #expect(second.status == 202)
    #expect(first.json["message_id"] == second.json["message_id"])
    #expect(second.header("Idempotent-Replayed") == "true")
    try harness.waitForEvents(client, type: "message.sent")
    Thread.sleep(forTimeInterval: 0.3)
    #expect(provider.requests.count == 1)
    #expect(try harness.events(client, types: "message.queued").count == 1)
    // The key survives a restart.
    try harness.restart()
    let third = try harness.postAPI(
      harness.client(), "POST", path, ["text": "once"], headers: [("Idempotency-Key", "reply-1")])
    #expect(third.json["message_id"] == first.json["message_id"])
    #expect(third.json["status"] == "sent")
  }

  @Test func aProviderDownForAWhileGetsEverythingOnceItIsBack() throws {
    let probe = try StandInServer()
    let port = probe.port
    probe.stop()
    let harness = try GatewayHarness(outboundURL: "http://127.0.0.1:\(port)/out")
    defer { harness.stop() }
    let client = harness.client()
    var conversations: [String] = []
    for index in 0..<3 {
      conversations.append(
        try harness.customerMessage(client, id: "m-\(index)", from: "u-\(index)", "hi"))
    }
    for (index, conversation) in conversations.enumerated() {
      let reply = try harness.postAPI(
        client, "POST", "/v1/conversations/\(conversation)/messages", ["text": .string("r\(index)")]
      )
      #expect(reply.status == 202)
    }
    try harness.waitForEvents(client, type: "message.retrying", count: 3)
    let provider = try StandInServer(port: port)
    defer { provider.stop() }
    try harness.waitForEvents(client, type: "message.sent", count: 3, timeout: 20)
    let texts = provider.requests.compactMap { $0.json["text"]?.stringValue }.sorted()
    #expect(texts == ["r0", "r1", "r2"])
  }

  @Test func repliesOfOneConversationGoOutInOrder() throws {
    let provider = try StandInServer { request in
      request.index == 0 ? .status(503) : .status(200)
    }
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    for text in ["first", "second", "third"] {
      _ = try harness.postAPI(
        client, "POST", "/v1/conversations/\(conversation)/messages", ["text": .string(text)])
    }
    try harness.waitForEvents(client, type: "message.sent", count: 3, timeout: 15)
    let delivered = provider.requests.filter { $0.index > 0 }.compactMap {
      $0.json["text"]?.stringValue
    }
    #expect(delivered == ["first", "second", "third"])
  }

  @Test func providerDeliveryStatusesUpdateTheMessage() throws {
    let provider = try StandInServer()
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "hello"])
    let messageId = try #require(reply.json["message_id"]?.stringValue)
    try harness.waitForEvents(client, type: "message.sent")
    let status = try harness.post(
      client, ["type": "status", "message_id": .string(messageId), "status": "delivered"])
    #expect(status.status == 200)
    let read = try harness.post(
      client, ["type": "status", "message_id": .string(messageId), "status": "read"])
    #expect(read.status == 200)
    let events = try harness.events(client)
    #expect(events.contains { $0["type"] == "message.delivered" })
    #expect(events.contains { $0["type"] == "message.read" })
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["messages"]?.arrayValue?.last?["status"] == "read")
  }

  @Test func badRepliesAreRefusedAndChangeNothing() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    let path = "/v1/conversations/\(conversation)/messages"
    let before = try harness.events(client).count
    let empty = try harness.postAPI(client, "POST", path, ["author": "x"])
    #expect(empty.status == 400)
    #expect(empty.json["error"]?["message"]?.stringValue?.hasPrefix("text") == true)
    let unknown = try harness.postAPI(client, "POST", path, ["text": "x", "colour": "red"])
    #expect(unknown.status == 400)
    #expect(unknown.json["error"]?["message"]?.stringValue?.contains("colour") == true)
    let badAttachment = try harness.postAPI(
      client, "POST", path, ["text": "x", "attachments": [["url": "ftp://x"]]])
    #expect(badAttachment.status == 400)
    #expect(
      badAttachment.json["error"]?["message"]?.stringValue?.contains("attachments[0].url") == true)
    let missing = try harness.postAPI(
      client, "POST", "/v1/conversations/conv_nope/messages", ["text": "x"])
    #expect(missing.status == 404)
    let readOnly = try harness.postAPI(
      client, "POST", path, ["text": "x"], token: GatewayHarness.readToken)
    #expect(readOnly.status == 403)
    #expect(try harness.events(client).count == before)
  }
}
