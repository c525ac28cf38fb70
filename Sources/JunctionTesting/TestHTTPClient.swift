import Foundation
import JunctionModel
import JunctionSystem

/// A response as a test sees it.
public struct TestResponse: Sendable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: [UInt8]

  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  public var text: String { String(decoding: body, as: UTF8.self) }

  /// The body as JSON (`.null` when it is not JSON).
  public var json: JSON { (try? JSON.parse(body)) ?? .null }
}

/// A small blocking HTTP/1.1 client over one keep-alive connection, for tests and the
/// end-to-end harness. Understands Content-Length and chunked responses.
public final class TestHTTPClient: @unchecked Sendable {
  public let port: Int
  private var connection: TCPClient?
  private var pending: [UInt8] = []
  public var timeout: Double

  public init(port: Int, timeout: Double = 10) {
    self.port = port
    self.timeout = timeout
  }

  /// Sends a request and waits for its response. Reconnects when the server closed the
  /// previous connection.
  public func request(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
  ) throws -> TestResponse {
    if connection == nil {
      connection = try TCPClient(port: port)
      pending = []
    }
    guard let connection else { throw SystemError(call: "connect", errno: 111) }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" || method == "PUT" {
      head += "Content-Length: \(body.count)\r\n"
    }
    head += "\r\n"
    do {
      try connection.send(Array(head.utf8) + body)
      return try readResponse(connection)
    } catch {
      self.connection = nil
      throw error
    }
  }

  /// Sends a JSON body.
  public func request(
    _ method: String, _ path: String, json: JSON, headers: [(String, String)] = []
  )
    throws -> TestResponse
  {
    try request(
      method, path, headers: [("Content-Type", "application/json")] + headers,
      body: json.serialized())
  }

  public func close() {
    connection = nil
  }

  private func readResponse(_ connection: TCPClient) throws -> TestResponse {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let (response, used) = Self.parse(pending) {
        pending.removeFirst(used)
        if response.header("Connection")?.lowercased() == "close" { self.connection = nil }
        return response
      }
      let remaining = deadline.timeIntervalSinceNow
      guard remaining > 0 else {
        throw SystemError(call: "recv", errno: 110, context: "response timed out")
      }
      guard let chunk = try connection.receive(timeout: remaining) else {
        self.connection = nil
        throw SystemError(call: "recv", errno: 104, context: "server closed the connection")
      }
      pending += chunk
    }
  }

  /// A complete response at the start of `bytes` and how many bytes it used.
  static func parse(_ bytes: [UInt8]) -> (TestResponse, Int)? {
    guard let headEnd = bytes.firstRange(of: [13, 10, 13, 10]) else { return nil }
    let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
    let headers = lines.compactMap { line -> (String, String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    let response = TestResponse(status: status, headers: headers, body: [])
    var offset = headEnd.upperBound
    if status == 100 { return parse(Array(bytes[offset...])).map { ($0.0, $0.1 + offset) } }
    if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
      var body: [UInt8] = []
      while true {
        guard let lineEnd = bytes[offset...].firstRange(of: [13, 10]) else { return nil }
        guard
          let size = Int(
            String(decoding: bytes[offset..<lineEnd.lowerBound], as: UTF8.self), radix: 16)
        else { return nil }
        let dataStart = lineEnd.upperBound
        guard bytes.count >= dataStart + size + 2 else { return nil }
        if size == 0 {
          return (TestResponse(status: status, headers: headers, body: body), dataStart + 2)
        }
        body += bytes[dataStart..<(dataStart + size)]
        offset = dataStart + size + 2
      }
    }
    let length = Int(response.header("Content-Length") ?? "0") ?? 0
    guard bytes.count >= offset + length else { return nil }
    return (
      TestResponse(
        status: status, headers: headers, body: Array(bytes[offset..<(offset + length)])),
      offset + length
    )
  }
}
