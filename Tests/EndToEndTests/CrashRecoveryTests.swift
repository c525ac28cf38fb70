import Dispatch
import Foundation
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

@Suite(.serialized, .offCooperativePool) struct CrashRecoveryTests {
  /// Issue 2: post signed messages from many connections, SIGKILL mid-stream, restart: every
  /// acknowledged message is in the event feed exactly once, with the ids it was acknowledged with.
  @Test func everyAcknowledgedMessageSurvivesSIGKILLExactlyOnce() throws {
    let deployment = try TestDeployment()
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let acknowledged = Mutex<[String: String]>([:])
    let stop = Atomic<Bool>(false)
    let port = deployment.process.port
    let group = DispatchGroup()
    for worker in 0..<16 {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        let client = TestHTTPClient(port: port, timeout: 5)
        var index = 0
        while !stop.load(ordering: .relaxed) {
          let id = "w\(worker)-\(index)"
          index += 1
          guard
            let response = try? deployment.post(
              client, id: id, from: "user-\(worker % 5)", text: "message \(id)"),
            response.status == 200, let messageId = response.json["message_id"]?.stringValue
          else { continue }
          acknowledged.withLock { $0[id] = messageId }
        }
      }
    }
    Thread.sleep(forTimeInterval: 1.0)
    deployment.process.kill()
    stop.store(true, ordering: .relaxed)
    group.wait()
    let acked = acknowledged.withLock { $0 }
    #expect(acked.count > 50, "too few messages acknowledged before the kill: \(acked.count)")

    try deployment.process.start()
    let client = deployment.process.client()
    let received = try deployment.allEvents(client).filter { $0["type"] == "message.received" }
    var seen: [String: Int] = [:]
    var messageIds: [String: String] = [:]
    for event in received {
      guard let providerId = event["data"]?["message"]?["provider_message_id"]?.stringValue else {
        continue
      }
      seen[providerId, default: 0] += 1
      messageIds[providerId] = event["data"]?["message"]?["id"]?.stringValue
    }
    for (id, messageId) in acked {
      #expect(seen[id] == 1, "acknowledged \(id) appears \(seen[id] ?? 0) times")
      #expect(messageIds[id] == messageId)
    }
    #expect(seen.values.allSatisfy { $0 == 1 }, "a message was stored twice")
    // The provider retrying an acknowledged message after the restart gets the same ids back.
    if let (id, messageId) = acked.first {
      let retry = try deployment.post(
        client, id: id, from: "user-\(Int(id.dropFirst().prefix { $0 != "-" })! % 5)", text: "again"
      )
      #expect(retry.json["duplicate"] == true)
      #expect(retry.json["message_id"]?.stringValue == messageId)
    }
    #expect(deployment.process.terminate() == 0)
  }
}
