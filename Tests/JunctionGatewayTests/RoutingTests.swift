import Foundation
import JunctionConfig
import JunctionGateway
import JunctionModel
import JunctionTesting
import Testing

/// The router in a running gateway: decisions with explanations, the FAQ bot and its
/// handoffs, escalation on target timeouts, SLA warnings and breaches.
@Suite(.serialized) struct RoutingTests {
  @Test func aTypoedDeliveryQuestionGetsTheFAQAnswerAndAnOperatorRequestHandsOver() throws {
    let provider = try StandInServer()
    defer { provider.stop() }
    let harness = try GatewayHarness(
      outboundURL: provider.url + "/replies", routing: GatewayHarness.shippedRouting)
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(
      client, id: "m-1", from: "u-kazan", "сколько стоит доставка в Казнь?")
    let events = try harness.waitForEvents(client, type: "message.sent")
    let routed = try #require(events.first { $0["type"] == "conversation.routed" })
    #expect(routed["data"]?["skill"] == "delivery")
    #expect(routed["data"]?["tier"] == "bot")
    #expect(routed["data"]?["bot"] == true)
    #expect(routed["data"]?["understanding"]?["skill"]?["probability"]?.doubleValue ?? 0 > 0.5)
    #expect(routed["data"]?["workflow"]?["filter"]?["name"] == "answered by the bot")
    let answered = try #require(events.first { $0["type"] == "bot.answered" })
    #expect(answered["data"]?["entry_id"] == "delivery_time")
    #expect(answered["data"]?["language"] == "ru")
    let reply = try #require(provider.waitForRequests(1).first)
    #expect(reply.json["to"]?["id"] == "u-kazan")
    #expect(reply.json["automatic"] == true)
    let faq = try JSON.parse(
      Array(
        try String(contentsOfFile: GatewayHarness.shippedConfigPath + "/faq.json", encoding: .utf8)
          .utf8))
    let expected = faq["entries"]?.arrayValue?.first { $0["id"] == "delivery_time" }?["answers"]?[
      "ru"]
    #expect(reply.json["text"] == expected)
    // The bot handles it: no agent can claim it meanwhile.
    #expect(
      try harness.get(client, "/v1/queues").json["queues"]?.arrayValue?.allSatisfy {
        $0["depth"] == 0
      } == true)

    try harness.customerMessage(client, id: "m-2", from: "u-kazan", "позовите оператора")
    let after = try harness.waitForEvents(client, type: "bot.handoff")
    let handoff = try #require(after.first { $0["type"] == "bot.handoff" })
    #expect(handoff["data"]?["reason"] == "human_requested")
    let rerouted = try #require(after.last { $0["type"] == "conversation.routed" })
    #expect(rerouted["data"]?["reason"] == "bot_handoff")
    #expect(rerouted["data"]?["bot"] == false)
    #expect(rerouted["data"]?["skill"] == "delivery")
    let queue = try #require(rerouted["data"]?["queue"]?.stringValue)
    #expect(queue != "bot")
    let claim = try harness.postAPI(client, "POST", "/v1/queues/\(queue)/claim", ["agent": "anna"])
    #expect(claim.json["conversation"]?["id"]?.stringValue == conversation)
    // The bot said nothing more.
    #expect(provider.requests.count == 1)
  }

  static func routing(_ json: String) throws -> RoutingConfiguration {
    let folder = NSTemporaryDirectory() + "routing-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try json.write(toFile: folder + "/routing.json", atomically: true, encoding: .utf8)
    return try RoutingConfiguration.load(ConfigDirectory(path: folder, environment: [:]))
      .configuration
  }

  @Test func aTargetTimeoutMovesTheConversationToTheNextTarget() throws {
    let routing = try Self.routing(
      """
      {"queues": [{"id": "l1"}, {"id": "l2"}],
       "filters": [{"name": "all", "targets": [{"queue": "l1", "timeout": "1s", "priority": 1},
                                               {"queue": "l2", "priority": 7}]}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "help me")
    let events = try harness.waitForEvents(client, type: "conversation.transferred", timeout: 10)
    let routed = try #require(events.first { $0["type"] == "conversation.routed" })
    #expect(routed["data"]?["queue"] == "l1")
    let moved = try #require(events.first { $0["type"] == "conversation.transferred" })
    #expect(moved["data"]?["reason"] == "target_timeout")
    #expect(moved["data"]?["queue"] == "l2")
    #expect(moved["data"]?["workflow"]?["targets_passed"]?[0]?["reason"] == "timed_out")
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    #expect(view.json["queue"] == "l2")
    #expect(view.json["priority"] == 7)
  }

  @Test func anAgentReplyStopsEscalation() throws {
    let routing = try Self.routing(
      """
      {"queues": [{"id": "l1"}, {"id": "l2"}],
       "filters": [{"name": "all", "targets": [{"queue": "l1", "timeout": "1s"}, {"queue": "l2"}]}]}
      """)
    let provider = try StandInServer()
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url, routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "help me")
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages", ["text": "on it"])
    Thread.sleep(forTimeInterval: 1.6)
    #expect(try harness.events(client, types: "conversation.transferred").isEmpty)
  }

  @Test func slaWarningsAndBreachesFireOnceAcrossARestart() throws {
    let routing = try Self.routing(
      """
      {"queues": [{"id": "l1"}],
       "filters": [{"name": "all", "targets": [{"queue": "l1"}]}],
       "sla": [{"name": "fast", "first_response": "2s", "next_response": "2s", "warning_at": 0.5}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    try harness.customerMessage(client, id: "m-1", from: "u-1", "help")
    let events = try harness.waitForEvents(client, type: "sla.breached", timeout: 10)
    let warning = try #require(events.first { $0["type"] == "sla.warning" })
    #expect(warning["data"]?["target"] == "first_response")
    #expect(warning["data"]?["policy"] == "fast")
    #expect(events.filter { $0["type"] == "sla.breached" }.count == 1)
    let queues = try harness.get(client, "/v1/queues").json["queues"]?.arrayValue ?? []
    #expect(queues.first { $0["id"] == "l1" }?["past_sla"] == 1)
    try harness.restart()
    Thread.sleep(forTimeInterval: 0.5)
    let again = try harness.events(harness.client())
    #expect(again.filter { $0["type"] == "sla.warning" }.count == 1)
    #expect(again.filter { $0["type"] == "sla.breached" }.count == 1)
  }

  @Test func waitingOnTheCustomerPausesTheSLAClock() throws {
    let routing = try Self.routing(
      """
      {"queues": [{"id": "l1"}],
       "filters": [{"name": "all", "targets": [{"queue": "l1"}]}],
       "sla": [{"name": "fast", "first_response": "1s", "warning_at": 0.5}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    let id = try harness.customerMessage(client, id: "m-1", from: "u-1", "need the invoice")
    let paused = try harness.postAPI(client, "POST", "/v1/conversations/\(id)/wait")
    #expect(paused.status == 200)
    Thread.sleep(forTimeInterval: 1.5)
    #expect(try harness.events(client, types: "sla.breached").isEmpty)
    // The customer writes again: the clock runs on and the breach comes.
    try harness.customerMessage(client, id: "m-2", from: "u-1", "here is the number")
    let events = try harness.waitForEvents(client, type: "sla.breached", timeout: 10)
    #expect(events.contains { $0["type"] == "conversation.waiting_on_customer" })
  }

  @Test func aCustomerWritingAfterTheAgentsReplyStartsTheNextResponseClock() throws {
    let routing = try Self.routing(
      """
      {"queues": [{"id": "l1"}],
       "filters": [{"name": "all", "targets": [{"queue": "l1"}]}],
       "sla": [{"name": "fast", "first_response": "1h", "next_response": "1s", "warning_at": 0.5}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    let id = try harness.customerMessage(client, id: "m-1", from: "u-1", "where is my parcel")
    try harness.waitRouted(client, id)
    // Many messages before the reply, then the reply in time: no first-response breach.
    for index in 2...30 {
      try harness.customerMessage(client, id: "m-\(index)", from: "u-1", "hello? \(index)")
    }
    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(id)/messages", ["text": "On its way"])
    #expect(reply.status == 202)
    Thread.sleep(forTimeInterval: 0.3)
    try harness.customerMessage(client, id: "m-31", from: "u-1", "thanks, and the invoice?")
    let events = try harness.waitForEvents(client, type: "sla.breached", timeout: 10)
    let breaches = events.filter { $0["type"] == "sla.breached" }
    #expect(breaches.count == 1)
    #expect(breaches.first?["data"]?["target"] == "next_response")
  }

  @Test func aRoutePreviewExplainsWithoutStoring() throws {
    let harness = try GatewayHarness(routing: GatewayHarness.shippedRouting)
    defer { harness.stop() }
    let client = harness.client()
    let before = try harness.events(client, types: "conversation.routed").count
    let preview = try harness.postAPI(
      client, "POST", "/v1/admin/route-preview",
      [
        "text": "I was charged twice for my order", "channel": "chat",
        "at": "2026-11-24T12:00:00+03:00",
      ],
      token: GatewayHarness.adminToken)
    #expect(preview.status == 200)
    #expect(preview.json["skill"] == "billing")
    #expect(preview.json["queue"] == "billing")
    #expect(preview.json["workflow"]?["filters_not_matched"]?.arrayValue?.isEmpty == false)
    #expect(preview.json["understanding"]?["complexity"]?["signals"]?.arrayValue?.isEmpty == false)
    #expect(preview.json["summary"]?.stringValue?.contains("queue:") == true)
    let forbidden = try harness.postAPI(
      client, "POST", "/v1/admin/route-preview", ["text": "x"], token: GatewayHarness.writeToken)
    #expect(forbidden.status == 403)
    let bad = try harness.postAPI(
      client, "POST", "/v1/admin/route-preview", ["text": "x", "channel": "fax"],
      token: GatewayHarness.adminToken)
    #expect(bad.status == 400)
    #expect(try harness.events(client, types: "conversation.routed").count == before)
  }
}
