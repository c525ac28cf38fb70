import Foundation
import JunctionModel
import JunctionTesting
import Testing

/// Assign, transfer, resolve, reopen, tags and notes: journaled and reflected in projections.
@Suite(.serialized) struct ConversationActionsTests {
  @Test func actionsAreJournaledAndShowInTheConversation() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let id = try harness.customerMessage(client, id: "m-1", from: "u-1", "help")
    let base = "/v1/conversations/\(id)"

    let assigned = try harness.postAPI(client, "POST", "\(base)/assign", ["agent": "anna"])
    #expect(assigned.status == 200)
    #expect(assigned.json["assignee"] == "anna")
    let tagged = try harness.postAPI(
      client, "POST", "\(base)/tags", ["add": ["vip", "delivery"], "remove": []])
    #expect(tagged.json["tags"] == ["vip", "delivery"])
    let untagged = try harness.postAPI(client, "POST", "\(base)/tags", ["remove": ["vip"]])
    #expect(untagged.json["tags"] == ["delivery"])
    let noted = try harness.postAPI(
      client, "POST", "\(base)/notes", ["text": "customer called twice", "author": "anna"])
    #expect(noted.status == 200)
    let transferred = try harness.postAPI(
      client, "POST", "\(base)/transfer", ["queue": "general", "priority": 5, "reason": "vip"])
    #expect(transferred.status == 200)
    #expect(transferred.json["priority"] == 5)
    #expect(transferred.json["assignee"] == .null)
    let resolved = try harness.postAPI(client, "POST", "\(base)/resolve")
    #expect(resolved.json["status"] == "resolved")
    let again = try harness.postAPI(client, "POST", "\(base)/resolve")
    #expect(again.status == 200)
    let reopened = try harness.postAPI(client, "POST", "\(base)/reopen")
    #expect(reopened.json["status"] == "open")

    let types = try harness.events(client).compactMap { $0["type"]?.stringValue }
    #expect(
      Array(types.dropFirst(4)) == [
        "conversation.assigned", "conversation.tagged", "conversation.tagged", "note.added",
        "conversation.transferred", "conversation.resolved", "conversation.reopened",
      ])
    let view = try harness.get(client, base)
    #expect(view.json["notes"]?.arrayValue?.first?["text"] == "customer called twice")
    // Notes are never sent to the customer: they are not messages.
    #expect(view.json["messages"]?.arrayValue?.count == 1)

    try harness.restart()
    let after = try harness.get(harness.client(), base)
    #expect(after.json["status"] == "open")
    #expect(after.json["tags"] == ["delivery"])
    #expect(after.json["priority"] == 5)
  }

  @Test func badActionsGetClearErrorsAndChangeNothing() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let id = try harness.customerMessage(client, id: "m-1", from: "u-1", "help")
    let before = try harness.events(client).count
    let unknownQueue = try harness.postAPI(
      client, "POST", "/v1/conversations/\(id)/transfer", ["queue": "nowhere"])
    #expect(unknownQueue.status == 400)
    #expect(unknownQueue.json["error"]?["message"]?.stringValue?.hasPrefix("queue") == true)
    let noAgent = try harness.postAPI(client, "POST", "/v1/conversations/\(id)/assign", [:])
    #expect(noAgent.status == 400)
    #expect(noAgent.json["error"]?["message"] == "agent: is required")
    let wrongType = try harness.postAPI(
      client, "POST", "/v1/conversations/\(id)/assign", ["agent": 7])
    #expect(wrongType.status == 400)
    let missing = try harness.postAPI(client, "POST", "/v1/conversations/conv_x/resolve")
    #expect(missing.status == 404)
    let badJSON = try client.request(
      "POST", "/v1/conversations/\(id)/resolve",
      headers: [("Authorization", "Bearer \(GatewayHarness.writeToken)")], body: Array("{".utf8))
    #expect(badJSON.status == 400)
    #expect(badJSON.json["error"]?["code"] == "invalid_json")
    #expect(try harness.events(client).count == before)
  }

  @Test func aMessageAfterResolvingOpensANewConversation() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.customerMessage(client, id: "m-1", from: "u-1", "one")
    _ = try harness.postAPI(client, "POST", "/v1/conversations/\(first)/resolve")
    let second = try harness.customerMessage(client, id: "m-2", from: "u-1", "two")
    #expect(second != first)
    #expect(!second.isEmpty)
  }

  @Test func aMessageWithinTheReopenWindowReopensTheConversation() throws {
    let harness = try GatewayHarness { $0.conversations.reopenWindow = 3600 }
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.customerMessage(client, id: "m-1", from: "u-1", "one")
    _ = try harness.postAPI(client, "POST", "/v1/conversations/\(first)/resolve")
    let second = try harness.customerMessage(client, id: "m-2", from: "u-1", "two")
    #expect(second == first)
    let reopened = try harness.events(client, types: "conversation.reopened")
    #expect(reopened.first?["data"]?["reason"] == "customer_message")
    let view = try harness.get(client, "/v1/conversations/\(first)")
    #expect(view.json["status"] == "open")
  }
}
