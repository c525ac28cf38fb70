import JunctionSystem
import Synchronization

/// One client connection, confined to its event loop's thread (all methods but
/// ``unsentBytes`` run there).
///
/// Requests are handled one at a time in order: while a response is pending, pipelined bytes
/// wait in the input buffer (reading pauses past a cap), so responses leave in request order.
final class HTTPConnection: @unchecked Sendable {
  enum Phase {
    /// Waiting for the first byte of a request (keep-alive idle).
    case idle
    /// Receiving a head (deadline from the first byte, or from accepting).
    case head
    /// Receiving a body.
    case body
    /// The handler has the request; no timeouts apply.
    case processing
    /// A streaming response is open.
    case streaming
    case closed
  }

  let socket: Socket
  let token: UInt64
  let remoteAddress: String
  unowned let loop: EventLoop
  private var input = InputBuffer()
  private var parser: HTTPRequestParser
  private var phase: Phase = .head
  private var deadline: UInt64
  private var head: HTTPRequestHead?
  private var route: HTTPRouter.Route?
  private var routeParameters: [String: String] = [:]
  private var output: [UInt8] = []
  private var outputOffset = 0
  private var closeWhenFlushed = false
  private var wantsWrite = false
  private var readingPaused = false
  private var peerClosedInput = false
  private var generation: UInt64 = 0
  private var requestStarted: UInt64 = 0
  private var stream: HTTPStream?
  private let unsent = Atomic<Int>(0)

  /// Input buffered beyond this while a response is pending pauses reading.
  static let pipelineCap = 256 * 1024
  /// Most input read in one readiness round before the parser runs.
  static let readBatchBytes = 256 * 1024

  init(socket: Socket, token: UInt64, remoteAddress: String, loop: EventLoop) {
    self.socket = socket
    self.token = token
    self.remoteAddress = remoteAddress
    self.loop = loop
    parser = HTTPRequestParser(maxHeadBytes: loop.core.configuration.maxHeadBytes)
    deadline = monotonicNanoseconds() + loop.core.nanoseconds(loop.core.configuration.headTimeout)
  }

  /// Bytes written by handlers but not yet taken by the socket (any thread).
  var unsentBytes: Int { unsent.load(ordering: .relaxed) }

  // MARK: Events

  func handle(_ events: Epoll.Events) {
    if events.contains(.writable) || events.contains(.error) { flush() }
    if phase == .closed { return }
    if events.contains(.readable) || events.contains(.hangup) { readAvailable() }
  }

  private func readAvailable() {
    while phase != .closed && !readingPaused {
      let count: Int?
      do {
        count = try loop.read(socket) { input.append($0) }
      } catch {
        close()
        return
      }
      guard let count else { break }
      if count == 0 {
        peerClosedInput = true
        // An event-stream client that closes its side has gone: nothing more to send it.
        if phase == .streaming {
          close()
          return
        }
        if phase == .processing || !output.isEmpty {
          closeWhenFlushed = true
          updateInterest()
        } else {
          close()
        }
        return
      }
      // Parse before reading on: a sender that keeps the socket full must not get its body
      // buffered whole ahead of the parser, which refuses it at the route's limit (epoll is
      // level-triggered, so the rest is read on the next round).
      if count < 64 * 1024 || input.readable >= Self.readBatchBytes { break }
    }
    process()
  }

  /// Parses and dispatches buffered requests while no response is pending.
  private func process() {
    while phase != .processing && phase != .streaming && phase != .closed && !closeWhenFlushed {
      let step = parser.next(&input)
      switch step {
      case .needMore:
        if phase == .idle && (input.readable > 0 || !parser.isIdle) {
          phase = .head
          deadline =
            monotonicNanoseconds() + loop.core.nanoseconds(loop.core.configuration.headTimeout)
        }
        updateInterest()
        return
      case .head(let head):
        begin(head)
      case .body(let body):
        dispatch(body)
      case .failed(let error):
        fail(error)
        return
      }
    }
    updateInterest()
  }

  private func begin(_ head: HTTPRequestHead) {
    self.head = head
    requestStarted = monotonicNanoseconds()
    let target = head.target
    let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(target[..<$0]) } ?? target
    switch loop.core.router.match(head.method, path) {
    case .found(let route, let parameters):
      self.route = route
      routeParameters = parameters
      let limit = route.maxBodyBytes ?? loop.core.configuration.defaultMaxBodyBytes
      if head.expectsContinue, case .length(let length) = head.framing, length > limit {
        parser.expectBody(limit: limit)
      } else {
        if head.expectsContinue { enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        parser.expectBody(limit: limit)
      }
    case .methodNotAllowed(let allowed):
      route = nil
      var response = HTTPResponse.error(
        405, code: "method_not_allowed", message: "\(head.method) is not allowed here")
      response.headers.add("Allow", allowed.map(\.description).joined(separator: ", "))
      respondWithoutBody(response, head)
      return
    case .notFound:
      route = nil
      respondWithoutBody(.error(404, code: "not_found", message: "no route for \(path)"), head)
      return
    }
    phase = .body
    deadline = monotonicNanoseconds() + loop.core.nanoseconds(loop.core.configuration.bodyTimeout)
  }

  /// Answers without reading the body; closes afterwards if a body was announced.
  private func respondWithoutBody(_ response: HTTPResponse, _ head: HTTPRequestHead) {
    if head.framing == .none {
      parser.expectBody(limit: 0)
      _ = parser.next(&input)
      resetForNextRequest()
    } else {
      closeWhenFlushed = true
      phase = .idle
    }
    write(response, head: head, route: nil)
  }

  private func dispatch(_ body: [UInt8]) {
    guard let head, let route else { return }
    var request = HTTPRequest(
      method: head.method, target: head.target, version: head.version, headers: head.headers,
      body: body, pathParameters: routeParameters, remoteAddress: remoteAddress)
    if request.method == .head { request.body = [] }
    phase = .processing
    generation += 1
    let responder = HTTPResponder(loop: loop, connection: self, generation: generation)
    route.handler(request, responder)
    if let response = responder.handlerReturned() { deliver(response, generation: generation) }
  }

  /// Writes the answer to the current request (loop thread).
  func deliver(_ response: HTTPResponse, generation: UInt64) {
    guard phase == .processing, generation == self.generation, let head else { return }
    let current = route
    resetForNextRequest()
    write(response, head: head, route: current)
    if phase != .closed { process() }
  }

  private func write(_ response: HTTPResponse, head: HTTPRequestHead, route: HTTPRouter.Route?) {
    let close = closeWhenFlushed || !head.keepAlive || loop.draining || peerClosedInput
    if close { closeWhenFlushed = true }
    var bytes: [UInt8] = []
    response.serialize(
      into: &bytes, date: loop.currentDateLine(), close: close, headRequest: head.method == .head)
    loop.core.record(
      routeID: route?.id ?? -1, route: route?.name ?? "unmatched", method: head.method,
      status: response.status, started: requestStarted)
    enqueue(bytes)
  }

  private func resetForNextRequest() {
    head = nil
    route = nil
    routeParameters = [:]
    phase = .idle
    deadline = monotonicNanoseconds() + loop.core.nanoseconds(loop.core.configuration.idleTimeout)
  }

  private func fail(_ error: HTTPParseError) {
    closeWhenFlushed = true
    phase = .idle
    write(
      .error(error.status, code: error.code, message: error.message), head: head ?? fallbackHead,
      route: route)
  }

  // MARK: Streaming

  func startStream(_ response: HTTPResponse, _ stream: HTTPStream, generation: UInt64) {
    guard phase == .processing, generation == self.generation, let head else {
      stream.markClosed()
      return
    }
    self.stream = stream
    phase = .streaming
    var bytes: [UInt8] = []
    response.serialize(
      into: &bytes, date: loop.currentDateLine(), close: true, headRequest: false, chunked: true)
    loop.core.record(
      routeID: route?.id ?? -1, route: route?.name ?? "unmatched", method: head.method,
      status: response.status, started: requestStarted)
    enqueue(bytes)
  }

  func writeChunk(_ bytes: [UInt8]) {
    guard phase == .streaming else { return }
    var chunk = Array(String(bytes.count, radix: 16).utf8)
    chunk += [13, 10]
    chunk += bytes
    chunk += [13, 10]
    enqueue(chunk)
  }

  func finishStream() {
    guard phase == .streaming else { return }
    closeWhenFlushed = true
    enqueue([UInt8(ascii: "0"), 13, 10, 13, 10])
  }

  // MARK: Output

  private func enqueue(_ bytes: [UInt8]) {
    if output.isEmpty {
      output = bytes
      outputOffset = 0
    } else {
      output += bytes
    }
    unsent.store(output.count - outputOffset, ordering: .relaxed)
    flush()
  }

  private func flush() {
    while outputOffset < output.count {
      let written: Int?
      do {
        let offset = outputOffset
        written = try output.withUnsafeBytes { buffer in
          Result { () throws(SystemError) -> Int? in
            try socket.write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
          }
        }.get()
      } catch {
        close()
        return
      }
      guard let written else { break }
      outputOffset += written
    }
    if outputOffset == output.count {
      output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
      outputOffset = 0
    }
    unsent.store(output.count - outputOffset, ordering: .relaxed)
    if output.isEmpty && closeWhenFlushed && phase != .processing {
      close()
      return
    }
    updateInterest()
  }

  private func updateInterest() {
    guard phase != .closed else { return }
    let busy = phase == .processing || phase == .streaming
    let pause = (busy && input.readable > Self.pipelineCap) || closeWhenFlushed || peerClosedInput
    let write = outputOffset < output.count
    guard pause != readingPaused || write != wantsWrite else { return }
    readingPaused = pause
    wantsWrite = write
    // Hang-up is watched only while reading: a half-closed peer would otherwise keep firing.
    var events: Epoll.Events = pause ? [] : [.readable, .hangup]
    if write { events.insert(.writable) }
    do {
      try loop.epoll.modify(socket.descriptor, events: events, token: token)
    } catch {
      close()
    }
  }

  // MARK: Lifecycle

  func checkTimeouts(now: UInt64) {
    guard now >= deadline else { return }
    switch phase {
    case .head where input.readable > 0 || !parser.isIdle:
      loop.core.timeouts(kind: "head").increment()
      timeOut("request head not received in time", route: nil)
    case .head:
      loop.core.timeouts(kind: "head").increment()
      close()
    case .body:
      loop.core.timeouts(kind: "body").increment()
      timeOut("request body not received in time", route: route)
    case .idle:
      if !closeWhenFlushed { loop.core.timeouts(kind: "idle").increment() }
      close()
    case .processing, .streaming, .closed:
      return
    }
  }

  private func timeOut(_ message: String, route: HTTPRouter.Route?) {
    closeWhenFlushed = true
    phase = .idle
    // A client that stopped reading cannot hold the connection open past one more interval.
    deadline =
      monotonicNanoseconds() + loop.core.nanoseconds(loop.core.configuration.sweepInterval * 4)
    write(
      .error(408, code: "request_timeout", message: message), head: fallbackHead,
      route: route)
  }

  private var fallbackHead: HTTPRequestHead {
    HTTPRequestHead(
      method: .get, target: "/", version: .http11, headers: HTTPHeaders(), framing: .none,
      keepAlive: false, expectsContinue: false)
  }

  /// Shutdown: idle connections close now; a pending response closes the connection after it.
  func drain() {
    switch phase {
    case .idle, .head:
      if input.readable == 0 && parser.isIdle { close() } else { closeWhenFlushed = true }
    case .body, .processing:
      closeWhenFlushed = true
    case .streaming:
      finishStream()
    case .closed:
      return
    }
  }

  func close() {
    guard phase != .closed else { return }
    phase = .closed
    loop.epoll.remove(socket.descriptor)
    socket.close()
    unsent.store(0, ordering: .relaxed)
    stream?.markClosed()
    stream = nil
    loop.forget(self)
  }

  /// Over the connection cap: a best-effort 503 and close, without registering.
  static func rejectOverCapacity(_ socket: Socket, date: [UInt8]) {
    var bytes: [UInt8] = []
    HTTPResponse.error(
      503, code: "too_many_connections", message: "connection limit reached, try again"
    )
    .serialize(into: &bytes, date: date, close: true, headRequest: false)
    _ = try? bytes.withUnsafeBytes { try socket.write($0) }
    socket.close()
  }
}
