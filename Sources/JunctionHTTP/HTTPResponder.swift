import Synchronization

/// Answers one request, exactly once, from any thread.
///
/// Answering inside the handler (on the loop thread) writes at once with no thread hop;
/// answering later posts the response to the connection's event loop.
public final class HTTPResponder: Sendable {
  enum State: Sendable {
    /// The handler is still running on the loop thread.
    case inHandler
    /// Answered while the handler was running; the loop writes it when the handler returns.
    case answeredInHandler(HTTPResponse)
    /// The handler returned without answering; an answer will be posted to the loop.
    case waiting
    case answered
  }

  let loop: EventLoop
  let connection: HTTPConnection
  let generation: UInt64
  private let state = Mutex<State>(.inHandler)

  init(loop: EventLoop, connection: HTTPConnection, generation: UInt64) {
    self.loop = loop
    self.connection = connection
    self.generation = generation
  }

  /// Sends `response`. Later calls are ignored; if the client has gone, it is dropped.
  public func respond(_ response: HTTPResponse) {
    guard claim({ response }) else { return }
    let connection = connection
    let generation = generation
    loop.execute { connection.deliver(response, generation: generation) }
  }

  /// Like ``respond(_:)``, but `make` builds the response on the connection's event loop (or
  /// right away when the handler is still running there): callers on a busy shared thread,
  /// such as the journal's writer completing appends, hand the work of writing the body to the
  /// loop. Not called when the request was already answered.
  public func respond(building make: @escaping @Sendable () -> HTTPResponse) {
    guard claim(make) else { return }
    let connection = connection
    let generation = generation
    loop.execute { connection.deliver(make(), generation: generation) }
  }

  /// Claims the answer slot and says whether the caller must post the answer to the loop:
  /// while the handler still runs, `make()` is kept for the loop to write when it returns
  /// (false); after it returned, true; when the request was already answered, false and `make`
  /// is not called.
  private func claim(_ make: () -> HTTPResponse) -> Bool {
    state.withLock { state -> Bool in
      switch state {
      case .inHandler:
        state = .answeredInHandler(make())
        return false
      case .waiting:
        state = .answered
        return true
      case .answeredInHandler, .answered:
        return false
      }
    }
  }

  /// Starts a streaming response (Server-Sent Events): the head goes out with
  /// `Transfer-Encoding: chunked`; each ``HTTPStream/write(_:)`` is one chunk. Idle timeouts do
  /// not apply while streaming. Counts as the answer: later `respond` calls are ignored.
  public func stream(status: Int, headers: HTTPHeaders) -> HTTPStream {
    let stream = HTTPStream(loop: loop, connection: connection)
    let head = HTTPResponse(status: status, headers: headers)
    respondStreaming(head, stream)
    return stream
  }

  private func respondStreaming(_ head: HTTPResponse, _ stream: HTTPStream) {
    let already = state.withLock { state -> Bool in
      if case .answered = state { return true }
      if case .answeredInHandler = state { return true }
      state = .answered
      return false
    }
    guard !already else {
      stream.markClosed()
      return
    }
    let connection = connection
    let generation = generation
    loop.execute { connection.startStream(head, stream, generation: generation) }
  }

  /// Called by the loop after the handler returns: the response given during the handler,
  /// or nil (then a later `respond` is posted).
  func handlerReturned() -> HTTPResponse? {
    state.withLock { state in
      switch state {
      case .inHandler:
        state = .waiting
        return nil
      case .answeredInHandler(let response):
        state = .answered
        return response
      case .waiting, .answered:
        return nil
      }
    }
  }
}

/// A streaming response body (Server-Sent Events).
public final class HTTPStream: Sendable {
  let loop: EventLoop
  let connection: HTTPConnection
  private let pending = Atomic<Int>(0)
  private let closed = Atomic<Bool>(false)
  private let closeHandlers = Mutex<[@Sendable () -> Void]>([])

  init(loop: EventLoop, connection: HTTPConnection) {
    self.loop = loop
    self.connection = connection
  }

  /// Queues `bytes` as one chunk. Returns false once the stream is closed (client gone,
  /// finished or server shutting down); nothing is sent then.
  @discardableResult
  public func write(_ bytes: [UInt8]) -> Bool {
    guard !closed.load(ordering: .acquiring), !bytes.isEmpty else {
      return !closed.load(ordering: .acquiring)
    }
    pending.add(bytes.count, ordering: .relaxed)
    let connection = connection
    loop.execute { [self] in
      connection.writeChunk(bytes)
      pending.subtract(bytes.count, ordering: .relaxed)
    }
    return true
  }

  /// Ends the stream and closes the connection.
  public func finish() {
    guard !closed.load(ordering: .acquiring) else { return }
    let connection = connection
    loop.execute { connection.finishStream() }
  }

  /// Calls `handler` once when the stream closes for any reason (immediately if it already
  /// has). Runs on the event-loop thread; must not block.
  public func onClose(_ handler: @escaping @Sendable () -> Void) {
    let runNow = closeHandlers.withLock { handlers -> Bool in
      if closed.load(ordering: .acquiring) { return true }
      handlers.append(handler)
      return false
    }
    if runNow { handler() }
  }

  /// Bytes queued but not yet handed to the socket.
  public var pendingBytes: Int { pending.load(ordering: .relaxed) + connection.unsentBytes }

  /// Whether the stream has closed.
  public var isClosed: Bool { closed.load(ordering: .acquiring) }

  func markClosed() {
    let handlers = closeHandlers.withLock { handlers -> [@Sendable () -> Void] in
      guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return [] }
      defer { handlers = [] }
      return handlers
    }
    for handler in handlers { handler() }
  }
}
