import Foundation
import JunctionModel
import JunctionTesting
import Testing

/// Agents, offers with a reservation timeout, capacity, and an agent going offline.
@Suite(.serialized) struct PushAssignmentTests {
  func agent(
    _ harness: GatewayHarness, _ client: TestHTTPClient, _ id: String, capacity: Int,
    status: String = "available"
  ) throws -> TestResponse {
    try harness.postAPI(
      client, "PUT", "/v1/agents/\(id)",
      ["skills": ["*"], "capacity": ["api": .int(Int64(capacity))], "status": .string(status)])
  }

  func offers(_ harness: GatewayHarness, _ client: TestHTTPClient) throws -> [JSON] {
    try harness.events(client, types: "conversation.offered")
  }

  @Test func offersGoToTheMostSpareAgentLapseAndEndInAnAssignment() throws {
    let routing = try RoutingTests.routing(
      """
      {"queues": [{"id": "chat", "push": true, "reservation_timeout": "1s"}],
       "filters": [{"name": "all", "targets": [{"queue": "chat"}]}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    #expect(try agent(harness, client, "anna", capacity: 2).status == 200)
    #expect(try agent(harness, client, "bob", capacity: 1).status == 200)
    let bad = try harness.postAPI(
      client, "PUT", "/v1/agents/carl", ["capacity": ["api": -1]])
    #expect(bad.status == 400)

    let conversation = try harness.customerMessage(client, id: "m-1", from: "u-1", "hello")
    let first = try harness.waitForEvents(client, type: "conversation.offered")
    let offer = try #require(first.first { $0["type"] == "conversation.offered" })
    // Anna has the most spare capacity.
    #expect(offer["data"]?["agent"] == "anna")
    // Not accepted within the reservation timeout: it goes to the next agent.
    let lapsed = try harness.waitForEvents(client, type: "conversation.offered", count: 2)
    let ended = try #require(lapsed.first { $0["type"] == "conversation.offer_ended" })
    #expect(ended["data"]?["reason"] == "expired")
    let second = lapsed.filter { $0["type"] == "conversation.offered" }.last
    #expect(second?["data"]?["agent"] == "bob")
    // Anna can no longer accept; Bob can.
    let late = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/accept", ["agent": "anna"])
    #expect(late.status == 409)
    let accepted = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/accept", ["agent": "bob"])
    #expect(accepted.status == 200)
    #expect(accepted.json["assignee"] == "bob")
    let agents = try harness.get(client, "/v1/agents").json["agents"]?.arrayValue ?? []
    #expect(agents.first { $0["id"] == "bob" }?["conversations"] == [.string(conversation)])
  }

  @Test func anAgentGoingOfflineReturnsUnansweredConversations() throws {
    let routing = try RoutingTests.routing(
      """
      {"queues": [{"id": "chat", "push": true, "reservation_timeout": "30s"}],
       "filters": [{"name": "all", "targets": [{"queue": "chat"}]}]}
      """)
    let harness = try GatewayHarness(routing: routing)
    defer { harness.stop() }
    let client = harness.client()
    _ = try agent(harness, client, "anna", capacity: 1)
    let one = try harness.customerMessage(client, id: "m-1", from: "u-1", "one")
    let two = try harness.customerMessage(client, id: "m-2", from: "u-2", "two")
    try harness.waitForEvents(client, type: "conversation.offered")
    // Capacity 1: only one offer while the first is outstanding.
    Thread.sleep(forTimeInterval: 0.3)
    #expect(try offers(harness, client).count == 1)
    let offered = try offers(harness, client).first?["conversation_id"]?.stringValue ?? ""
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(offered)/accept", ["agent": "anna"])
    #expect([one, two].contains(offered))
    _ = try agent(harness, client, "anna", capacity: 1, status: "offline")
    let events = try harness.waitForEvents(client, type: "conversation.returned")
    let returned = try #require(events.first { $0["type"] == "conversation.returned" })
    #expect(returned["conversation_id"]?.stringValue == offered)
    #expect(returned["data"]?["reason"] == "agent_offline")
    let view = try harness.get(client, "/v1/conversations/\(offered)")
    #expect(view.json["assignee"] == .null)
  }
}
