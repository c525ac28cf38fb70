import Foundation
import JunctionModel
import JunctionTesting
import Testing

@Suite(.serialized) struct InboundAPITests {
  @Test func aMessageBecomesAContactAConversationAndAMessageEvent() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let response = try harness.post(
      client,
      ["id": "m-1", "from": ["id": "u-1", "name": "Ann", "language": "ru"], "text": "Привет"])
    #expect(response.status == 200)
    #expect(response.json["duplicate"] == false)
    let events = try harness.events(client)
    #expect(
      events.map { $0["type"]?.stringValue ?? "" } == [
        "contact.created", "conversation.created", "message.received", "conversation.routed",
      ])
    #expect(events.map { $0["offset"]?.intValue ?? 0 } == [1, 2, 3, 4])
    let message = events[2]["data"]?["message"]
    #expect(message?["text"] == "Привет")
    #expect(message?["id"] == response.json["message_id"])
    #expect(events[2]["conversation_id"] == response.json["conversation_id"])
    #expect(events[2]["data"]?["contact"]?["name"] == "Ann")
    #expect(events[1]["data"]?["thread_key"] == "u-1")
  }

  @Test func oneOpenConversationPerContactPerChannel() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.post(client, ["id": "a", "from": ["id": "u-1"], "text": "one"])
    let second = try harness.post(client, ["id": "b", "from": ["id": "u-1"], "text": "two"])
    let other = try harness.post(client, ["id": "c", "from": ["id": "u-2"], "text": "three"])
    #expect(first.json["conversation_id"] == second.json["conversation_id"])
    #expect(first.json["conversation_id"] != other.json["conversation_id"])
    let conversation = try harness.get(
      client, "/v1/conversations/\(first.json["conversation_id"]?.stringValue ?? "")")
    #expect(conversation.status == 200)
    #expect(
      conversation.json["messages"]?.arrayValue?.map { $0["text"]?.stringValue ?? "" } == [
        "one", "two",
      ])
    #expect(conversation.json["message_count"] == 2)
  }

  @Test func theSameIdIsADuplicateAndStoresNothing() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.post(client, ["id": "m-1", "from": ["id": "u-1"], "text": "hi"])
    let again = try harness.post(client, ["id": "m-1", "from": ["id": "u-1"], "text": "hi"])
    #expect(again.status == 200)
    #expect(again.json["duplicate"] == true)
    #expect(again.json["message_id"] == first.json["message_id"])
    #expect(try harness.events(client).count == 4)
  }

  @Test func concurrentRetriesOfOneMessageStoreItOnce() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let port = harness.gateway.port
    DispatchQueue.concurrentPerform(iterations: 12) { _ in
      let client = TestHTTPClient(port: port)
      _ = try? harness.post(client, ["id": "same", "from": ["id": "u-9"], "text": "retry storm"])
    }
    let events = try harness.events(harness.client())
    #expect(events.filter { $0["type"] == "message.received" }.count == 1)
    #expect(events.filter { $0["type"] == "conversation.created" }.count == 1)
    #expect(events.filter { $0["type"] == "contact.created" }.count == 1)
  }

  @Test func unsignedAndInvalidRequestsChangeNothing() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let body = Array(#"{"id": "m-1", "from": {"id": "u"}, "text": "x"}"#.utf8)
    let unsigned = try client.request(
      "POST", "/v1/inbound/web", headers: [("Content-Type", "application/json")], body: body)
    #expect(unsigned.status == 401)
    #expect(unsigned.json["error"]?["code"] == "invalid_signature")
    let invalid = try harness.post(client, ["id": "m-1", "from": ["name": "no id"], "text": "x"])
    #expect(invalid.status == 400)
    #expect(invalid.json["error"]?["message"] == "from.id: is required")
    let unknown = try harness.post(
      client, ["id": "m-1", "from": ["id": "u"], "text": "x"], channel: "nope")
    #expect(unknown.status == 404)
    #expect(unknown.json["error"]?["code"] == "unknown_channel")
    #expect(try harness.events(client).isEmpty)
  }

  @Test func contactsAreLinkedAcrossIdentitiesByPhone() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.post(
      client, ["id": "a", "from": ["id": "u-1", "phone": "+79161234567"], "text": "one"])
    let second = try harness.post(
      client, ["id": "b", "from": ["id": "u-2", "phone": "+79161234567"], "text": "two"])
    let events = try harness.events(client)
    #expect(events.filter { $0["type"] == "contact.created" }.count == 1)
    #expect(events.filter { $0["type"] == "contact.identity_added" }.count == 1)
    #expect(first.json["conversation_id"] != second.json["conversation_id"])
    let contacts = Set(events.compactMap { $0["data"]?["message"]?["contact_id"]?.stringValue })
    #expect(contacts.count == 1)
  }

  @Test func stateSurvivesARestart() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let first = try harness.post(
      harness.client(), ["id": "m-1", "from": ["id": "u-1"], "text": "before"])
    try harness.restart()
    let client = harness.client()
    let again = try harness.post(client, ["id": "m-1", "from": ["id": "u-1"], "text": "before"])
    #expect(again.json["duplicate"] == true)
    let next = try harness.post(client, ["id": "m-2", "from": ["id": "u-1"], "text": "after"])
    #expect(next.json["conversation_id"] == first.json["conversation_id"])
    #expect(try harness.events(client).count == 5)
  }
}

@Suite(.serialized) struct HelpdeskReadAPITests {
  @Test func feedAndConversationNeedAReadToken() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    #expect(try client.request("GET", "/v1/events").status == 401)
    #expect(try harness.get(client, "/v1/events", token: "wrong-token-0123456789").status == 401)
    #expect(try harness.get(client, "/v1/events", token: GatewayHarness.readToken).status == 200)
    #expect(try harness.get(client, "/v1/conversations/conv_missing").status == 404)
  }

  @Test func feedPagesFiltersAndValidatesParameters() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    for index in 0..<5 {
      _ = try harness.post(
        client, ["id": .string("m\(index)"), "from": ["id": .string("u-\(index)")], "text": "x"])
    }
    let page = try harness.get(client, "/v1/events?after=2&limit=4").json
    #expect(page["events"]?.arrayValue?.map { $0["offset"]?.intValue ?? 0 } == [3, 4, 5, 6])
    #expect(page["next"] == 6)
    let filtered = try harness.get(client, "/v1/events?types=message.received").json
    #expect(filtered["events"]?.arrayValue?.count == 5)
    #expect(filtered["next"] == 20)
    let bad = try harness.get(client, "/v1/events?limit=5000")
    #expect(bad.status == 400)
    #expect(bad.json["error"]?["message"] == "limit: expected an integer from 1 to 1000")
    #expect(try harness.get(client, "/v1/events?after=-1").status == 400)
    let end = try harness.get(client, "/v1/events?after=20").json
    #expect(end["events"]?.arrayValue?.isEmpty == true)
    #expect(end["next"] == 20)
  }

  @Test func healthAndMetricsNeedNoToken() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    _ = try harness.post(client, ["id": "m", "from": ["id": "u"], "text": "x"])
    #expect(try client.request("GET", "/healthz").json["status"] == "ok")
    let metrics = try client.request("GET", "/metrics").text
    // Contact, conversation, message, and the router's decision.
    #expect(metrics.contains("junction_journal_appends_total 4"))
    #expect(
      metrics.contains(
        #"junction_http_requests_total{route="POST /v1/inbound/{channel}",method="POST",status="200"} 1"#
      ))
    #expect(metrics.contains("junction_journal_batch_records_bucket"))
    #expect(metrics.contains("junction_journal_fsync_seconds_count"))
  }
}
