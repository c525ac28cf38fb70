import Foundation
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

/// Signed webhook delivery of events to helpdesk subscriptions.
@Suite(.serialized) struct SubscriptionsTests {
  func subscribe(
    _ harness: GatewayHarness, _ client: TestHTTPClient, url: String, types: [String] = []
  ) throws -> (id: String, secret: String) {
    let created = try harness.postAPI(
      client, "POST", "/v1/subscriptions",
      ["url": .string(url), "types": .array(types.map(JSON.string))])
    #expect(created.status == 201)
    return (
      created.json["id"]?.stringValue ?? "", created.json["secret"]?.stringValue ?? ""
    )
  }

  @Test func anIndependentStandardWebhooksReceiverAcceptsEveryDelivery() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let probe = try StandInServer()
    let port = probe.port
    probe.stop()
    let (_, secret) = try subscribe(harness, client, url: "http://127.0.0.1:\(port)/hooks")
    #expect(secret.hasPrefix("whsec_"))
    let receiver = try PythonReceiver(secret: secret, port: port)
    defer { receiver.stop() }
    for index in 0..<5 {
      try harness.customerMessage(
        client, id: "m-\(index)", from: "u-\(index % 2)", "привет \(index)")
    }
    let events = try harness.events(client)
    let created = events.firstIndex { $0["type"] == "subscription.created" } ?? 0
    let expected = Array(events[(created + 1)...])
    let deliveries = receiver.wait(for: expected.count)
    #expect(deliveries.count == expected.count)
    #expect(deliveries.allSatisfy { $0["verified"] == true })
    #expect(
      Set(deliveries.compactMap { $0["webhook_id"]?.stringValue })
        == Set(expected.compactMap { $0["id"]?.stringValue }))
    #expect(deliveries.allSatisfy { $0["webhook_id"] == $0["event_id"] })
    // Events of one conversation arrive in offset order.
    var lastOffset: [String: Int64] = [:]
    for delivery in deliveries {
      guard let conversation = delivery["conversation_id"]?.stringValue,
        let offset = delivery["offset"]?.intValue
      else { continue }
      #expect(offset > lastOffset[conversation, default: 0])
      lastOffset[conversation] = offset
    }
  }

  @Test func oneConversationWaitsForItsRetryWhileOthersGoOn() throws {
    let failedOnce = Mutex<Set<String>>([])
    let firstConversation = Mutex<String?>(nil)
    let receiver = try StandInServer { request in
      let conversation = request.json["conversation_id"]?.stringValue ?? ""
      let first = firstConversation.withLock { value -> String in
        if value == nil { value = conversation }
        return value ?? ""
      }
      if conversation == first, failedOnce.withLock({ $0.insert(conversation).inserted }) {
        return .status(500)
      }
      return .status(204)
    }
    defer { receiver.stop() }
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    _ = try subscribe(harness, client, url: receiver.url + "/hooks", types: ["message.received"])
    let a = try harness.customerMessage(client, id: "a-1", from: "ann", "one")
    try harness.customerMessage(client, id: "a-2", from: "ann", "two")
    let b = try harness.customerMessage(client, id: "b-1", from: "bob", "three")
    let requests = receiver.waitForRequests(4, timeout: 20)
    let order = requests.map {
      (
        $0.json["conversation_id"]?.stringValue ?? "",
        $0.json["data"]?["message"]?["text"]?.stringValue ?? ""
      )
    }
    // a-1 failed first; b-1 went out without waiting for it; a-2 only after a-1 succeeded.
    #expect(order.count == 4)
    #expect(order.first?.0 == a)
    let bIndex = order.firstIndex { $0.0 == b } ?? 99
    let aRetry = order.lastIndex { $0.1 == "one" } ?? -1
    let aSecond = order.firstIndex { $0.1 == "two" } ?? -1
    #expect(bIndex < aRetry)
    #expect(aRetry < aSecond)
    #expect(requests[0].header("webhook-id") == requests[aRetry].header("webhook-id"))
  }

  @Test func replayDeliversAgainWithTheSameWebhookIds() throws {
    let receiver = try StandInServer { _ in .status(200) }
    defer { receiver.stop() }
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let (id, _) = try subscribe(harness, client, url: receiver.url + "/hooks")
    try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    // Contact, conversation, message and routing.
    let first = receiver.waitForRequests(4)
    #expect(first.count == 4)
    let replay = try harness.postAPI(
      client, "POST", "/v1/subscriptions/\(id)/replay", ["after": 0])
    #expect(replay.status == 202)
    // Everything after offset 0 matches: the subscription's own creation and the replay
    // request included.
    let all = receiver.waitForRequests(4 + 6)
    let replayed = all.dropFirst(4).compactMap { $0.header("webhook-id") }
    for id in first.compactMap({ $0.header("webhook-id") }) {
      #expect(replayed.contains(id))
    }
    // The receiver sees the 10th request before the gateway has read its answer and counted
    // it: the count may lag by a moment.
    var delivered: Int64 = 0
    let deadline = Date().addingTimeInterval(10)
    while delivered < 10 && Date() < deadline {
      let status = try harness.get(client, "/v1/subscriptions/\(id)")
      delivered = status.json["delivery"]?["delivered"]?.intValue ?? 0
      if delivered < 10 { Thread.sleep(forTimeInterval: 0.02) }
    }
    #expect(delivered >= 10)
  }

  @Test func aSubscriptionFailingTooLongIsDisabledAndCanBeEnabledAgain() throws {
    let receiver = try StandInServer { _ in .status(503) }
    defer { receiver.stop() }
    let harness = try GatewayHarness { $0.delivery.disableAfter = 1 }
    defer { harness.stop() }
    let client = harness.client()
    let (id, _) = try subscribe(harness, client, url: receiver.url + "/hooks")
    try harness.customerMessage(client, id: "m-1", from: "u-1", "hi")
    let events = try harness.waitForEvents(client, type: "subscription.disabled", timeout: 20)
    let disabled = try #require(events.first { $0["type"] == "subscription.disabled" })
    #expect(disabled["data"]?["subscription_id"]?.stringValue == id)
    #expect(disabled["data"]?["reason"]?.stringValue?.contains("failing since") == true)
    let state = try harness.get(client, "/v1/subscriptions/\(id)")
    #expect(state.json["status"] == "disabled")
    #expect(state.json["delivery"]?["last_error"] == "HTTP 503")
    let attempts = receiver.requests.count
    Thread.sleep(forTimeInterval: 0.5)
    #expect(receiver.requests.count == attempts)
    let enabled = try harness.postAPI(client, "POST", "/v1/subscriptions/\(id)/enable")
    #expect(enabled.json["status"] == "active")
  }

  @Test func deliveredEventsAreNotSentAgainAfterARestart() throws {
    let receiver = try StandInServer { _ in .status(200) }
    defer { receiver.stop() }
    let harness = try GatewayHarness()
    defer { harness.stop() }
    var client = harness.client()
    _ = try subscribe(harness, client, url: receiver.url + "/hooks", types: ["message.*"])
    for index in 0..<3 { try harness.customerMessage(client, id: "m-\(index)", from: "u", "x") }
    receiver.waitForRequests(3)
    try harness.restart()
    client = harness.client()
    for index in 3..<5 { try harness.customerMessage(client, id: "m-\(index)", from: "u", "x") }
    let all = receiver.waitForRequests(5)
    Thread.sleep(forTimeInterval: 0.5)
    let ids = receiver.requests.compactMap { $0.header("webhook-id") }
    #expect(all.count == 5, "\(receiver.requests.map { $0.json["type"]?.stringValue ?? "" })")
    #expect(ids.count == 5)
    #expect(Set(ids).count == 5)
  }

  @Test func subscriptionsAreManagedAndValidated() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let bad = try harness.postAPI(client, "POST", "/v1/subscriptions", ["url": "ftp://x"])
    #expect(bad.status == 400)
    #expect(bad.json["error"]?["message"]?.stringValue?.hasPrefix("url") == true)
    let readOnly = try harness.postAPI(
      client, "POST", "/v1/subscriptions", ["url": "http://127.0.0.1:9/"],
      token: GatewayHarness.readToken)
    #expect(readOnly.status == 403)
    let (id, secret) = try subscribe(harness, client, url: "http://127.0.0.1:9/hooks")
    let list = try harness.get(client, "/v1/subscriptions")
    #expect(list.json["subscriptions"]?.arrayValue?.count == 1)
    #expect(list.json["subscriptions"]?[0]?["secret"] == nil)
    let one = try harness.get(client, "/v1/subscriptions/\(id)")
    #expect(one.json["secret"]?.stringValue == secret)
    // It delivers what comes after its own creation, and says so in the answer too.
    let created = try harness.events(client, types: "subscription.created").last
    #expect(created?["offset"]?.intValue != nil)
    #expect(one.json["start_after"] == created?["offset"])
    #expect(list.json["subscriptions"]?[0]?["start_after"] == created?["offset"])
    let second = try harness.postAPI(
      client, "POST", "/v1/subscriptions", ["url": "http://127.0.0.1:9/other"])
    let secondEvent = try harness.events(client, types: "subscription.created").last
    #expect(second.json["start_after"] == secondEvent?["offset"])
    #expect(
      try harness.postAPI(
        client, "DELETE", "/v1/subscriptions/\(second.json["id"]?.stringValue ?? "")"
      ).status == 204)
    // No secret is ever in the journal.
    let feed = try harness.get(client, "/v1/events?after=0").text
    #expect(!feed.contains(secret))
    let deleted = try harness.postAPI(client, "DELETE", "/v1/subscriptions/\(id)")
    #expect(deleted.status == 204)
    #expect(try harness.get(client, "/v1/subscriptions/\(id)").status == 404)
    try harness.restart()
    #expect(try harness.get(harness.client(), "/v1/subscriptions/\(id)").status == 404)
  }
}
