import Foundation
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

/// Issue 9, part 2: under steady load, SIGKILL Junction at random moments, restart it each
/// time, and check against the load generator's own record that every acknowledged inbound
/// message exists exactly once, every accepted reply was sent once (again only after a kill
/// that came before its answer was journaled) or is pending, and the subscription received
/// every event (again only after a kill, with the same `webhook-id`).
///
/// CI runs 10 kills; `bench/crash-loop/run` runs 100 (`JUNCTION_CRASH_LOOP_KILLS`) and writes
/// the figures to `JUNCTION_CRASH_LOOP_RESULTS`.
@Suite(.serialized, .offCooperativePool) struct CrashLoopTests {
  @Test func acknowledgedWorkSurvivesRepeatedSIGKILL() throws {
    let environment = ProcessInfo.processInfo.environment
    let kills = Int(environment["JUNCTION_CRASH_LOOP_KILLS"] ?? "") ?? 10
    let loop = try CrashLoop()
    defer { loop.cleanup() }
    let figures = try loop.run(kills: kills, drainTimeout: kills >= 50 ? 120 : 30)
    print(CrashLoopFigures.header)
    print(figures.row)
    if let path = environment["JUNCTION_CRASH_LOOP_RESULTS"] {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(figures).write(to: URL(fileURLWithPath: path))
    }
    #expect(figures.kills == kills)
    #expect(figures.acknowledged > 10 * kills, "too little load: \(figures.acknowledged)")
    #expect(figures.violations.isEmpty, "\(figures.violations)")
    #expect(figures.repliesAccepted > kills, "too few replies: \(figures.repliesAccepted)")
    #expect(figures.repliesPending == 0, "replies never sent: \(figures.repliesPending)")
    #expect(
      figures.deliveriesMissing == 0,
      "events never delivered: \(figures.deliveriesMissing) \(figures.missingSample)")
  }
}

/// One crash-loop run: Junction on loopback with a stand-in provider for replies and a
/// stand-in helpdesk receiver subscribed to every event.
final class CrashLoop: @unchecked Sendable {
  static let token = "crash-loop-helpdesk-token-0123"
  let process: JunctionProcess
  let load: CrashLoopLoad
  let provider: StandInServer
  let receiver: StandInServer
  let stamps = Stamps()
  private(set) var recovered: [Int: Int64] = [:]

  /// What the stand-ins received, stamped with the number of kills so far.
  final class Stamps: Sendable {
    let epoch = Atomic<Int>(0)
    let sends = Mutex<[Receipt]>([])
    let deliveries = Mutex<[Receipt]>([])
    let subscriptionSigner = Mutex<WebhookSigner?>(nil)
    let killedAt = Mutex<[Double]>([])
  }

  init() throws {
    let secret = WebhookSigner.randomSecret()
    let signer = try WebhookSigner(secret: secret)
    let stamps = stamps
    // A provider that takes a few milliseconds to answer, so kills land between its receipt
    // of a reply and Junction journaling the answer.
    provider = try StandInServer { request in
      let receipt = Receipt(
        id: request.header("webhook-id") ?? "", bodyId: request.json["id"]?.stringValue,
        epoch: stamps.epoch.load(ordering: .relaxed),
        signatureValid: (try? signer.verify(headers: request.headers, body: request.body)) != nil)
      stamps.sends.withLock { $0.append(receipt) }
      return .status(200, #"{"ok":true}"#, delay: Double.random(in: 0...0.01))
    }
    receiver = try StandInServer { request in
      let verifier = stamps.subscriptionSigner.withLock { $0 }
      let receipt = Receipt(
        id: request.header("webhook-id") ?? "", bodyId: request.json["id"]?.stringValue,
        epoch: stamps.epoch.load(ordering: .relaxed),
        signatureValid: (try? verifier?.verify(headers: request.headers, body: request.body)) != nil
      )
      stamps.deliveries.withLock { $0.append(receipt) }
      return .status(200)
    }
    let gateway: JSON = [
      "tokens": [["name": "helpdesk", "token": .string(Self.token), "scopes": ["read", "write"]]],
      "limits": ["inbound_per_channel": 1_000_000, "api_per_token": 1_000_000],
      // Small segments and frequent snapshots, so kills also land in rolls and snapshots.
      "journal": ["segment_bytes": "256KiB", "snapshot_every": 2000],
    ]
    let channels: JSON = [
      "channels": [
        [
          "id": "web", "adapter": "api",
          "settings": [
            "secret": .string(secret), "outbound_url": .string(provider.url + "/replies"),
          ],
        ]
      ]
    ]
    process = try JunctionProcess(files: ["gateway.json": gateway, "channels.json": channels])
    load = CrashLoopLoad(signer: signer, token: Self.token, port: 0)
  }

  var auth: [(String, String)] { [("Authorization", "Bearer \(Self.token)")] }

  /// Runs the loop and audits it.
  func run(kills: Int, drainTimeout: Double) throws -> CrashLoopFigures {
    try process.start()
    load.port.store(process.port, ordering: .relaxed)
    let subscription = try process.client().request(
      "POST", "/v1/subscriptions", json: ["url": .string(receiver.url + "/events")],
      headers: auth)
    guard subscription.status == 201, let secret = subscription.json["secret"]?.stringValue,
      let start = subscription.json["start_after"]?.intValue
    else { throw CrashLoopError(message: "subscription: \(subscription.text)") }
    stamps.subscriptionSigner.withLock { $0 = try? WebhookSigner(secret: secret) }

    load.start(providers: 4)
    for kill in 1...kills {
      // Now and then right after a start (recovery, resumed sends); mostly under load.
      let quick = kill % 10 == 0
      Thread.sleep(
        forTimeInterval: quick ? Double.random(in: 0...0.05) : Double.random(in: 0.15...1.0))
      process.kill()
      stamps.killedAt.withLock { $0.append(Receipt.now()) }
      stamps.epoch.store(kill, ordering: .relaxed)
      try process.start(timeout: 60)
      recovered[kill] = Self.recoveredOffset(process.logText)
      load.port.store(process.port, ordering: .relaxed)
    }
    Thread.sleep(forTimeInterval: 0.5)
    load.stop()
    let client = process.client(timeout: 30)
    var inputs = try audit(client, start: start, kills: kills)
    // Let outstanding sends and deliveries finish.
    let deadline = Date().addingTimeInterval(drainTimeout)
    while Date() < deadline {
      let figures = CrashLoopAudit.figures(inputs)
      if figures.repliesPending == 0 && figures.deliveriesMissing == 0 { break }
      Thread.sleep(forTimeInterval: 1)
      inputs = try audit(client, start: start, kills: kills)
    }
    #expect(process.terminate() == 0, "graceful stop failed:\n\(process.logText.suffix(2000))")
    return CrashLoopAudit.figures(inputs)
  }

  private func audit(_ client: TestHTTPClient, start: Int64, kills: Int) throws
    -> CrashLoopAudit.Inputs
  {
    CrashLoopAudit.Inputs(
      kills: kills, acknowledged: load.acknowledged.withLock { $0 },
      replies: load.replies.withLock { $0 }, contradictions: load.contradictions.withLock { $0 },
      retriesDeduplicated: load.retried.withLock { $0["duplicate answer"] ?? 0 },
      events: try allEvents(client), sends: stamps.sends.withLock { $0 },
      deliveries: stamps.deliveries.withLock { $0 }, subscriptionStart: start, recovered: recovered,
      killedAt: stamps.killedAt.withLock { $0 })
  }

  func allEvents(_ client: TestHTTPClient) throws -> [JSON] {
    var events: [JSON] = []
    var after: Int64 = 0
    while true {
      let page = try client.request("GET", "/v1/events?after=\(after)&limit=1000", headers: auth)
        .json
      let batch = page["events"]?.arrayValue ?? []
      if batch.isEmpty { return events }
      events += batch
      after = page["next"]?.intValue ?? after
    }
  }

  /// The journal offset a start recovered to, from its "State restored." log line.
  static func recoveredOffset(_ log: String) -> Int64 {
    guard let line = log.split(separator: "\n").last(where: { $0.contains("State restored.") }),
      let range = line.range(of: "last_sequence=")
    else { return -1 }
    return Int64(line[range.upperBound...].prefix { $0.isNumber }) ?? -1
  }

  func cleanup() {
    load.stop()
    process.cleanup()
    provider.stop()
    receiver.stop()
  }
}

struct CrashLoopError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
