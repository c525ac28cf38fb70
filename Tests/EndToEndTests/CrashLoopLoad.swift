import Foundation
import JunctionModel
import JunctionTesting
import Synchronization

/// The crash loop's steady load and its own record of what Junction acknowledged: the ground
/// truth the audit checks the event feed and the stand-ins against.
///
/// Providers post signed `api` webhooks with unique ids and, like real providers, post the same
/// id again until it is acknowledged. A helpdesk replies to conversations it saw acknowledged,
/// each reply with its own `Idempotency-Key`, again repeating a request until it gets an
/// answer. Every request follows Junction to the port of its latest start.
final class CrashLoopLoad: Sendable {
  /// An acknowledged inbound message: the ids Junction answered with.
  struct Acknowledged: Sendable, Equatable {
    var messageId: String
    var conversationId: String
  }

  let signer: WebhookSigner
  let token: String
  let port: Atomic<Int>
  private let stopping = Atomic<Bool>(false)
  private let running = DispatchGroup()
  /// Provider message id → the ids of its acknowledgement.
  let acknowledged = Mutex<[String: Acknowledged]>([:])
  /// Idempotency-Key → message id of the accepted reply.
  let replies = Mutex<[String: String]>([:])
  /// Contradictions seen by the clients (an id acknowledged with two different answers …).
  let contradictions = Mutex<[String]>([])
  /// Answers other than success, by kind (`503`, `connection`) — retried, not failures.
  let retried = Mutex<[String: Int]>([:])

  init(signer: WebhookSigner, token: String, port: Int) {
    self.signer = signer
    self.token = token
    self.port = Atomic(port)
  }

  /// Starts `providers` webhook senders and one helpdesk.
  func start(providers: Int, usersPerProvider: Int = 40) {
    for worker in 0..<providers {
      spawn { self.provider(worker, users: usersPerProvider) }
    }
    spawn { self.helpdesk() }
  }

  /// Stops every client and waits for them.
  func stop() {
    stopping.store(true, ordering: .relaxed)
    running.wait()
  }

  private var stopped: Bool { stopping.load(ordering: .relaxed) }

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    running.enter()
    Thread.detachNewThread {
      body()
      self.running.leave()
    }
  }

  /// A request against the current Junction; nil (counted) when the connection failed.
  private func send(
    _ client: inout TestHTTPClient, _ method: String, _ path: String, headers: [(String, String)],
    body: [UInt8]
  ) -> TestResponse? {
    let current = port.load(ordering: .relaxed)
    if client.port != current { client = TestHTTPClient(port: current, timeout: 5) }
    do {
      return try client.request(method, path, headers: headers, body: body)
    } catch {
      client.close()
      count("connection")
      Thread.sleep(forTimeInterval: 0.01)
      return nil
    }
  }

  private func count(_ kind: String) { retried.withLock { $0[kind, default: 0] += 1 } }

  private func provider(_ worker: Int, users: Int) {
    var client = TestHTTPClient(port: port.load(ordering: .relaxed), timeout: 5)
    var index = 0
    while !stopped {
      let id = "p\(worker)-\(index)"
      let body: JSON = [
        "id": .string(id), "from": ["id": .string("u\(worker)-\(index % users)")],
        "text": .string("message \(id)"),
      ]
      let bytes = body.serialized()
      // The same webhook-id on every attempt, as a provider retrying one delivery.
      let headers = signer.headers(for: bytes, id: "wh-" + id)
      guard let response = send(&client, "POST", "/v1/inbound/web", headers: headers, body: bytes)
      else { continue }
      guard response.status == 200, let messageId = response.json["message_id"]?.stringValue,
        let conversationId = response.json["conversation_id"]?.stringValue
      else {
        count("\(response.status)")
        if response.status != 503 && response.status != 429 {
          contradictions.withLock {
            $0.append("inbound \(id): \(response.status) \(response.text)")
          }
        }
        Thread.sleep(forTimeInterval: 0.02)
        continue
      }
      // A retry whose first attempt was stored before a kill took the answer away.
      if response.json["duplicate"] == true { count("duplicate answer") }
      let answer = Acknowledged(messageId: messageId, conversationId: conversationId)
      acknowledged.withLock { known in
        if let earlier = known[id], earlier != answer {
          contradictions.withLock {
            $0.append("inbound \(id) acknowledged as \(earlier) and \(answer)")
          }
        }
        known[id] = answer
      }
      index += 1
    }
  }

  private func helpdesk() {
    var client = TestHTTPClient(port: port.load(ordering: .relaxed), timeout: 5)
    var number = 0
    var random = SystemRandomNumberGenerator()
    while !stopped {
      let conversations = acknowledged.withLock { Array($0.values.prefix(200)) }
      guard let target = conversations.randomElement(using: &random) else {
        Thread.sleep(forTimeInterval: 0.02)
        continue
      }
      let key = "reply-\(number)"
      let body: JSON = ["text": .string("answer \(number)")]
      var accepted: String?
      // Repeat with the same key until Junction answers (it may have stored the first try).
      while accepted == nil && !stopped {
        guard
          let response = send(
            &client, "POST", "/v1/conversations/\(target.conversationId)/messages",
            headers: [
              ("Authorization", "Bearer \(token)"), ("Idempotency-Key", key),
              ("Content-Type", "application/json"),
            ], body: body.serialized())
        else { continue }
        if response.status == 202, let messageId = response.json["message_id"]?.stringValue {
          accepted = messageId
        } else {
          count("reply \(response.status)")
          if response.status != 503 && response.status != 429 {
            contradictions.withLock {
              $0.append("reply \(key): \(response.status) \(response.text)")
            }
            break
          }
          Thread.sleep(forTimeInterval: 0.02)
        }
      }
      if let accepted {
        replies.withLock { known in
          if let earlier = known[key], earlier != accepted {
            contradictions.withLock { $0.append("\(key) accepted as \(earlier) and \(accepted)") }
          }
          known[key] = accepted
        }
      }
      number += 1
      Thread.sleep(forTimeInterval: 0.01)
    }
  }
}
