import Foundation
import JunctionModel
import JunctionSystem
import JunctionTesting
import Synchronization
import Testing

/// Issue 9, part 4 (short version; `bench/hostile/run` measures it): idle and slow connections
/// do not stop real traffic and are cut off, oversized heads and bodies are refused before
/// they are read, a flood from one source is answered 429 while others are served, and
/// running out of file descriptors pauses accepting instead of spinning.
@Suite(.serialized, .offCooperativePool) struct HostileClientTests {
  @Test func idleAndSlowConnectionsDoNotStopRealTrafficAndAreCutOff() throws {
    let deployment = try TestDeployment(gateway: ["limits": ["head_timeout": "3s"]])
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let port = deployment.process.port
    let idle = try (0..<100).map { _ in try TCPClient(port: port) }
    let slow = try (0..<100).map { _ in try TCPClient(port: port) }
    let head = Array("POST /v1/inbound/web HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa".utf8)
    // Slow clients: one byte a second each, for longer than the head timeout.
    for position in 0..<2 {
      for client in slow { try? client.send([head[position]]) }
      let client = deployment.process.client()
      for index in 0..<10 {
        let response = try deployment.post(
          client, id: "real-\(position)-\(index)", from: "u-\(index)", text: "real traffic")
        #expect(response.status == 200, "real request: \(response.status) \(response.text)")
      }
      #expect(try client.request("GET", "/healthz").status == 200)
      Thread.sleep(forTimeInterval: 1)
    }
    // Every hostile connection is closed by the server (head timeout), slow ones with a 408.
    #expect(Self.status(of: slow[0]) == 408)
    var closed = 0
    for client in idle + slow where (try? client.waitForClose(timeout: 20)) == true { closed += 1 }
    #expect(closed == 200, "server kept \(200 - closed) idle or slow connections open")
    #expect(deployment.process.terminate() == 0)
  }

  @Test func oversizedHeadsAndBodiesAreRefusedWithoutReadingThem() throws {
    let deployment = try TestDeployment()
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let port = deployment.process.port

    // A head that never ends: 431 once it passes 16 KiB, then the connection is closed.
    let head = try TCPClient(port: port)
    try head.send("POST /v1/inbound/web HTTP/1.1\r\nHost: x\r\nX-Big: ")
    var sent = 0
    while sent < 256 << 10, (try? head.send([UInt8](repeating: 97, count: 4096))) != nil {
      sent += 4096
    }
    #expect(Self.status(of: head) == 431)
    #expect(try head.waitForClose(timeout: 10))

    // A body claimed at 1 GiB: 413 before a byte of it is sent.
    let claim = try TCPClient(port: port)
    try claim.send(
      "POST /v1/inbound/web HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1073741824\r\n\r\n")
    #expect(Self.status(of: claim) == 413)
    #expect(try claim.waitForClose(timeout: 10))

    // A chunked body that keeps coming: 413 once it passes the route's 1 MiB, and Junction
    // stops reading there. Found by bench/hostile: a sender that kept the socket full was read
    // without pause and its body buffered whole (hundreds of MiB) before the parser saw it.
    let senders = try (0..<4).map { _ in try TCPClient(port: port) }
    let streamed = Atomic<Int>(0)
    var piece: [UInt8] = []
    for _ in 0..<16 {
      piece += Array("10000\r\n".utf8) + [UInt8](repeating: 98, count: 65536) + Array("\r\n".utf8)
    }
    for sender in senders {
      try sender.send(
        "POST /v1/inbound/web HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
      Thread.detachNewThread { [piece] in
        for _ in 0..<256 {  // 256 MiB each, unless Junction closes first
          guard (try? sender.send(piece)) != nil else { return }
          streamed.add(piece.count, ordering: .relaxed)
        }
      }
    }
    for sender in senders {
      #expect(Self.status(of: sender) == 413)
      _ = try? sender.waitForClose(timeout: 30)
    }
    // The 1 MiB limit plus what the kernel buffers on loopback, per sender; far from 1 GiB.
    let total = streamed.load(ordering: .relaxed)
    #expect(total < 4 * (12 << 20), "Junction kept reading refused bodies: \(total >> 20) MiB")

    let client = deployment.process.client()
    #expect(try deployment.post(client, id: "after", from: "u-1", text: "still here").status == 200)
    #expect(deployment.process.terminate() == 0)
  }

  @Test func aFloodFromOneSourceIsAnswered429WhileOthersAreServed() throws {
    let otherSigner = try WebhookSigner(secret: WebhookSigner.randomSecret())
    let deployment = try TestDeployment(
      extraChannels: [
        ["id": "other", "adapter": "api", "settings": ["secret": .string(otherSigner.secret)]]
      ],
      gateway: [
        "limits": ["inbound_per_channel": 20, "api_per_token": 20],
        "tokens": [
          [
            "name": "helpdesk", "token": .string(TestDeployment.helpdeskToken),
            "scopes": ["read", "write"],
          ],
          ["name": "noisy", "token": "noisy-token-0123456789abcdef", "scopes": ["read"]],
        ],
      ])
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let client = deployment.process.client()

    var statuses: [Int: Int] = [:]
    for index in 0..<150 {
      let response = try deployment.post(client, id: "flood-\(index)", from: "u-1", text: "flood")
      statuses[response.status, default: 0] += 1
      if response.status == 429 { #expect(response.header("Retry-After") != nil) }
    }
    #expect((statuses[429] ?? 0) > 0, "no 429 for a flood: \(statuses)")
    #expect(Set(statuses.keys).isSubset(of: [200, 429]), "\(statuses)")
    // Another channel has its own budget.
    let body: JSON = ["id": "quiet-1", "from": ["id": "u-2"], "text": "hello"]
    let other = try client.request(
      "POST", "/v1/inbound/other", headers: otherSigner.headers(for: body.serialized()),
      body: body.serialized())
    #expect(other.status == 200, "other channel: \(other.status) \(other.text)")

    var tokenStatuses: [Int: Int] = [:]
    for _ in 0..<150 {
      let response = try client.request(
        "GET", "/v1/events?after=0&limit=1",
        headers: [("Authorization", "Bearer noisy-token-0123456789abcdef")])
      tokenStatuses[response.status, default: 0] += 1
    }
    #expect((tokenStatuses[429] ?? 0) > 0, "no 429 for a token flood: \(tokenStatuses)")
    let helpdesk = try client.request("GET", "/v1/events?after=0&limit=1", headers: deployment.auth)
    #expect(helpdesk.status == 200, "another token: \(helpdesk.status)")
  }

  /// Found by bench/hostile: at the file-descriptor limit the event loops spun on the
  /// listener (both cores busy, one log line per attempt). Accepting now pauses.
  @Test func runningOutOfFileDescriptorsPausesAcceptingWithoutSpinning() throws {
    let deployment = try TestDeployment()
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let port = deployment.process.port
    let pid = try #require(Self.pid(commandLineContaining: deployment.process.dataDirectory.path))
    let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    let limit = open + 16
    let (status, output) = TemporaryMount.run(
      "/usr/bin/prlimit", ["--pid", String(pid), "--nofile=\(limit):\(limit)"])
    try #require(status == 0, "prlimit failed: \(output)")

    let idle = try (0..<40).map { _ in try TCPClient(port: port) }
    Thread.sleep(forTimeInterval: 2)
    let failures = deployment.process.logText.components(separatedBy: "accept failed").count - 1
    #expect(failures >= 1, "the descriptor limit was never reached")
    #expect(failures <= 4, "accept failures logged \(failures) times in 2 s: the loop spins")

    for client in idle { client.close() }
    let response = try deployment.process.client().request("GET", "/healthz")
    #expect(response.status == 200)
  }

  /// The status of the first response on `client` (0 when none arrives).
  static func status(of client: TCPClient) -> Int {
    let bytes =
      (try? client.receive(timeout: 10) { $0.firstRange(of: Array("\r\n".utf8)) != nil }) ?? []
    let line = String(decoding: bytes, as: UTF8.self).split(separator: " ")
    return line.count > 1 ? Int(line[1]) ?? 0 : 0
  }

  /// The process whose command line contains `text` (a test's unique data directory).
  static func pid(commandLineContaining text: String) -> Int32? {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
      guard let pid = Int32(entry),
        let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
      else { continue }
      let commandLine = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
      if commandLine.contains(text) && commandLine.contains("serve") { return pid }
    }
    return nil
  }
}
