import Foundation
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

/// Queue state, claims and conversation listing for helpdesks.
@Suite(.serialized) struct QueuesTests {
  @Test func twentyParallelClaimsOnTenConversationsHandOutEachOnce() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    var created: Set<String> = []
    for index in 0..<10 {
      created.insert(
        try harness.customerMessage(client, id: "m-\(index)", from: "u-\(index)", "hi"))
    }
    let port = harness.gateway.port
    let results = Mutex<[String?]>([])
    DispatchQueue.concurrentPerform(iterations: 20) { index in
      let claimer = TestHTTPClient(port: port)
      let response = try? claimer.request(
        "POST", "/v1/queues/general/claim",
        headers: [
          ("Authorization", "Bearer \(GatewayHarness.writeToken)"),
          ("Content-Type", "application/json"),
        ], body: Array(#"{"agent":"agent-\#(index)"}"#.utf8))
      let id = response?.json["conversation"]?["id"]?.stringValue
      results.withLock { $0.append(id) }
    }
    let claimed = results.withLock { $0 }
    #expect(claimed.count == 20)
    let ids = claimed.compactMap { $0 }
    #expect(ids.count == 10)
    #expect(Set(ids) == created)
    let assigned = try harness.events(client, types: "conversation.assigned")
    #expect(assigned.count == 10)
    let queues = try harness.get(client, "/v1/queues")
    #expect(queues.json["queues"]?[0]?["depth"] == 0)
  }

  @Test func claimsServeHighestPriorityThenOldest() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let old = try harness.customerMessage(client, id: "m-1", from: "u-1", "first")
    Thread.sleep(forTimeInterval: 0.01)
    let newer = try harness.customerMessage(client, id: "m-2", from: "u-2", "second")
    Thread.sleep(forTimeInterval: 0.01)
    let urgent = try harness.customerMessage(client, id: "m-3", from: "u-3", "third")
    _ = try harness.postAPI(
      client, "POST", "/v1/conversations/\(urgent)/transfer", ["queue": "general", "priority": 9])
    let queues = try harness.get(client, "/v1/queues")
    let general = queues.json["queues"]?[0]
    #expect(general?["id"] == "general")
    #expect(general?["depth"] == 3)
    #expect(general?["oldest_waiting_since"]?.stringValue != nil)
    var order: [String] = []
    for _ in 0..<4 {
      let claim = try harness.postAPI(client, "POST", "/v1/queues/general/claim", ["agent": "a"])
      #expect(claim.status == 200)
      if let id = claim.json["conversation"]?["id"]?.stringValue { order.append(id) }
    }
    #expect(order == [urgent, old, newer])
    let unknown = try harness.postAPI(client, "POST", "/v1/queues/nope/claim", ["agent": "a"])
    #expect(unknown.status == 404)
  }

  @Test func conversationsArePagedNewestFirstWithFilters() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    var ids: [String] = []
    for index in 0..<7 {
      ids.append(try harness.customerMessage(client, id: "m-\(index)", from: "u-\(index)", "hi"))
    }
    _ = try harness.postAPI(client, "POST", "/v1/conversations/\(ids[2])/resolve")
    _ = try harness.postAPI(client, "POST", "/v1/conversations/\(ids[4])/assign", ["agent": "bo"])
    var seen: [String] = []
    var cursor = ""
    repeat {
      let page = try harness.get(client, "/v1/conversations?limit=3&cursor=\(cursor)")
      #expect(page.status == 200)
      seen += page.json["conversations"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
      cursor = page.json["next_cursor"]?.stringValue ?? ""
    } while !cursor.isEmpty
    #expect(seen == ids.reversed())
    let resolved = try harness.get(client, "/v1/conversations?status=resolved")
    #expect(resolved.json["conversations"]?.arrayValue?.map { $0["id"] } == [.string(ids[2])])
    let mine = try harness.get(client, "/v1/conversations?assignee=bo")
    #expect(mine.json["conversations"]?.arrayValue?.map { $0["id"] } == [.string(ids[4])])
    let bad = try harness.get(client, "/v1/conversations?status=closed")
    #expect(bad.status == 400)
  }
}
