import Dispatch
import Foundation
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

@Suite(.serialized, .offCooperativePool) struct HelpdeskCrashTests {
  /// Issue 3: SIGKILL while replies and event deliveries are in flight, restart: every
  /// accepted reply reaches the provider and every event reaches the subscription; a repeat is
  /// only ever the same message (same `webhook-id`) the receiver had not answered in time.
  @Test func repliesAndDeliveriesSurviveSIGKILL() throws {
    let provider = try StandInServer { _ in .status(200, delay: 0.02) }
    defer { provider.stop() }
    let receiver = try StandInServer { _ in .status(204, delay: 0.01) }
    defer { receiver.stop() }
    let deployment = try TestDeployment(outboundURL: provider.url + "/replies")
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    var client = deployment.process.client()
    let subscription = try client.request(
      "POST", "/v1/subscriptions", headers: deployment.auth,
      body: JSON.object(["url": .string(receiver.url + "/hooks")]).serialized())
    #expect(subscription.status == 201)
    let subscriptionId = try #require(subscription.json["id"]?.stringValue)

    var conversations: [String] = []
    for index in 0..<8 {
      let response = try deployment.post(client, id: "m-\(index)", from: "u-\(index)", text: "hi")
      conversations.append(response.json["conversation_id"]?.stringValue ?? "")
    }
    let targets = conversations
    let accepted = Mutex<Set<String>>([])
    let stop = Atomic<Bool>(false)
    let port = deployment.process.port
    let group = DispatchGroup()
    for worker in 0..<4 {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        let helpdesk = TestHTTPClient(port: port, timeout: 5)
        var index = 0
        while !stop.load(ordering: .relaxed) {
          let conversation = targets[(worker + index) % targets.count]
          index += 1
          guard
            let response = try? helpdesk.request(
              "POST", "/v1/conversations/\(conversation)/messages",
              headers: deployment.auth + [("Idempotency-Key", "w\(worker)-\(index)")],
              body: JSON.object(["text": .string("reply \(worker)-\(index)")]).serialized()),
            response.status == 202, let id = response.json["message_id"]?.stringValue
          else { continue }
          accepted.withLock { _ = $0.insert(id) }
        }
      }
    }
    Thread.sleep(forTimeInterval: 1.0)
    deployment.process.kill()
    stop.store(true, ordering: .relaxed)
    group.wait()
    let replies = accepted.withLock { $0 }
    #expect(replies.count > 20, "too few replies accepted before the kill: \(replies.count)")

    try deployment.process.start()
    client = deployment.process.client()
    // Wait until the outbox is empty and the subscription has caught up with the journal.
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      let pending = try client.request("GET", "/healthz").json["details"]?["outbox"]?["pending"]
      let delivery = try client.request(
        "GET", "/v1/subscriptions/\(subscriptionId)", headers: deployment.auth
      ).json["delivery"]
      if pending == 0, delivery?["pending"] == 0 { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    let events = try deployment.allEvents(client)
    let sentIds = provider.requests.compactMap { $0.header("webhook-id") }
    let sentSet = Set(sentIds)
    for id in replies {
      #expect(sentSet.contains(id), "accepted reply \(id) never reached the provider")
    }
    #expect(
      events.filter { $0["type"] == "message.sent" }.compactMap {
        $0["data"]?["message_id"]?.stringValue
      }
      .count
        == Set(
          events.filter { $0["type"] == "message.sent" }.compactMap {
            $0["data"]?["message_id"]?.stringValue
          }
        ).count,
      "a reply was journaled as sent twice")
    let created = events.firstIndex { $0["type"] == "subscription.created" } ?? 0
    Thread.sleep(forTimeInterval: 0.5)
    let delivered = Set(receiver.requests.compactMap { $0.header("webhook-id") })
    let due = events[(created + 1)...].compactMap { $0["id"]?.stringValue }
    let missing = due.filter { !delivered.contains($0) }
    #expect(missing.isEmpty, "\(missing.count) of \(due.count) events never reached the receiver")
    let duplicates = sentIds.count - sentSet.count
    print(
      "crash: \(replies.count) replies accepted, \(sentSet.count) sent, \(duplicates) resent with the same id; \(due.count) events due, \(receiver.requests.count) deliveries"
    )
    #expect(deployment.process.terminate() == 0)
  }
}
