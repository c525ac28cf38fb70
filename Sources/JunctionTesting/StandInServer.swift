import Foundation
import JunctionHTTP
import JunctionModel
import Synchronization

/// A request a ``StandInServer`` received.
public struct ReceivedRequest: Sendable {
  public var method: String
  public var path: String
  public var query: String
  public var headers: [(String, String)]
  public var body: [UInt8]
  /// Position among the requests the server received, from 0.
  public var index: Int

  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  public var json: JSON { (try? JSON.parse(body)) ?? .null }
  public var text: String { String(decoding: body, as: UTF8.self) }
  /// Form-encoded body or query parameters.
  public var form: [String: String] {
    var result: [String: String] = [:]
    for (name, value) in FormEncoding.decode(query.isEmpty ? text : query) { result[name] = value }
    return result
  }
}

/// How a stand-in answers one request: a response, optionally after a delay (seconds).
public struct StandInReply: Sendable {
  public var response: HTTPResponse
  public var delay: Double

  public init(_ response: HTTPResponse, delay: Double = 0) {
    self.response = response
    self.delay = delay
  }

  public static func status(_ status: Int, _ body: String = "{}", delay: Double = 0) -> StandInReply
  {
    StandInReply(.json(status, body), delay: delay)
  }
}

/// A stand-in for a provider's API or a helpdesk's webhook receiver: a real HTTP server on
/// loopback (Junction's own) that records every request and answers as the test scripts it.
public final class StandInServer: Sendable {
  public typealias Script = @Sendable (ReceivedRequest) -> StandInReply

  private let server: HTTPServer
  private let log = RequestLog()

  /// Starts listening on `port` (0: a free one) and answers every request with `script`.
  public init(port: Int = 0, script: @escaping Script = { _ in .status(200) }) throws {
    let router = HTTPRouter()
    var configuration = HTTPServerConfiguration()
    configuration.port = port
    configuration.workers = 1
    configuration.shutdownGrace = 1
    server = HTTPServer(configuration: configuration, router: router)
    let handler: HTTPHandler = { [log] request, responder in
      let recorded = log.list.withLock { list -> ReceivedRequest in
        let item = ReceivedRequest(
          method: request.method.description, path: request.path, query: request.query,
          headers: request.headers.map { ($0.name, $0.value) }, body: request.body,
          index: list.count)
        list.append(item)
        return item
      }
      let reply = script(recorded)
      if reply.delay > 0 {
        DispatchQueue.global().asyncAfter(deadline: .now() + reply.delay) {
          responder.respond(reply.response)
        }
      } else {
        responder.respond(reply.response)
      }
    }
    for depth in 1...8 {
      let pattern = (0..<depth).map { "/{p\($0)}" }.joined()
      for method in [HTTPMethod.get, .post, .put, .delete, .patch] {
        router.add(method, pattern, maxBodyBytes: 32 << 20, handler: handler)
      }
    }
    try server.start()
  }

  public var port: Int { server.port }
  public var url: String { "http://127.0.0.1:\(server.port)" }

  /// Every request so far.
  public var requests: [ReceivedRequest] { log.list.withLock { $0 } }

  /// Waits until `count` requests arrived (or `timeout` seconds passed) and returns them all.
  @discardableResult
  public func waitForRequests(_ count: Int, timeout: Double = 10) -> [ReceivedRequest] {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let all = requests
      if all.count >= count { return all }
      Thread.sleep(forTimeInterval: 0.01)
    }
    return requests
  }

  public func stop() { server.shutdown() }
}

private final class RequestLog: Sendable {
  let list = Mutex<[ReceivedRequest]>([])
}
