import Foundation
import JunctionModel
import JunctionSystem
import JunctionTesting
import Testing

/// `GET /v1/events/stream`: Server-Sent Events, filters, resume with `Last-Event-ID`.
@Suite(.serialized) struct EventStreamTests {
  /// An SSE client over a raw socket: reads chunked frames as they come.
  final class StreamClient {
    let connection: TCPClient
    var buffer: [UInt8] = []

    init(port: Int, query: String = "", lastEventId: String? = nil) throws {
      connection = try TCPClient(port: port)
      var head = "GET /v1/events/stream\(query) HTTP/1.1\r\nHost: x\r\n"
      head += "Authorization: Bearer \(GatewayHarness.readToken)\r\n"
      if let lastEventId { head += "Last-Event-ID: \(lastEventId)\r\n" }
      try connection.send(Array((head + "\r\n").utf8))
    }

    /// Reads until `count` events arrived; returns (id, type, data) of each.
    func events(_ count: Int, timeout: Double = 5) throws -> [(UInt64, String, JSON)] {
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline {
        let parsed = Self.parse(buffer)
        if parsed.count >= count { return parsed }
        if let chunk = try connection.receive(timeout: 0.2) { buffer += chunk }
      }
      return Self.parse(buffer)
    }

    var text: String { String(decoding: buffer, as: UTF8.self) }

    /// The body so far: after the head, chunk framing removed.
    static func body(_ bytes: [UInt8]) -> String {
      guard let head = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return "" }
      var rest = bytes[head.upperBound...]
      var body: [UInt8] = []
      while let line = rest.firstRange(of: Array("\r\n".utf8)),
        let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16),
        rest.count >= rest.distance(from: rest.startIndex, to: line.upperBound) + size + 2
      {
        let start = line.upperBound
        body += rest[start..<(start + size)]
        rest = rest[(start + size + 2)...]
      }
      return String(decoding: body, as: UTF8.self)
    }

    static func parse(_ bytes: [UInt8]) -> [(UInt64, String, JSON)] {
      var events: [(UInt64, String, JSON)] = []
      for block in body(bytes).components(separatedBy: "\n\n") {
        var id: UInt64?
        var type = ""
        var data: JSON?
        for line in block.split(separator: "\n") {
          if line.hasPrefix("id: ") { id = UInt64(line.dropFirst(4)) }
          if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
          if line.hasPrefix("data: ") { data = try? JSON.parse(Array(line.dropFirst(6).utf8)) }
        }
        if let id, let data { events.append((id, type, data)) }
      }
      return events
    }
  }

  @Test func eventsStreamLiveAndResumeFromLastEventId() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    try harness.customerMessage(client, id: "m-0", from: "u-0", "before")
    let stream = try StreamClient(port: harness.gateway.port, query: "?types=message.received")
    Thread.sleep(forTimeInterval: 0.2)
    try harness.customerMessage(client, id: "m-1", from: "u-1", "first")
    try harness.customerMessage(client, id: "m-2", from: "u-1", "second")
    let live = try stream.events(2)
    #expect(stream.text.hasPrefix("HTTP/1.1 200"))
    #expect(stream.text.contains("text/event-stream"))
    #expect(live.count == 2)
    #expect(live.map(\.1) == ["message.received", "message.received"])
    #expect(
      live.map { $0.2["data"]?["message"]?["text"]?.stringValue ?? "" } == ["first", "second"])
    #expect(live.allSatisfy { Int64($0.0) == $0.2["offset"]?.intValue })

    // Resume after the first live event: only the second (and later) come.
    let resumed = try StreamClient(
      port: harness.gateway.port, query: "?types=message.received", lastEventId: String(live[0].0))
    let again = try resumed.events(1)
    #expect(again.map(\.0) == [live[1].0])
    // From the start with ?after=0: the event before the first connection too.
    let all = try StreamClient(port: harness.gateway.port, query: "?after=0&types=message.received")
    #expect(
      try all.events(3).map { $0.2["data"]?["message"]?["text"]?.stringValue ?? "" } == [
        "before", "first", "second",
      ])
  }

  @Test func aBadLastEventIdIsRefused() throws {
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let response = try harness.client().request(
      "GET", "/v1/events/stream",
      headers: [("Authorization", "Bearer \(GatewayHarness.readToken)"), ("Last-Event-ID", "x")])
    #expect(response.status == 400)
    let unauthorised = try harness.client().request("GET", "/v1/events/stream")
    #expect(unauthorised.status == 401)
  }
}
