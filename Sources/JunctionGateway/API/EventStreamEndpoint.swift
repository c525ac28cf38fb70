@preconcurrency import Dispatch
import JunctionHTTP
import JunctionJournal
import JunctionModel
import Synchronization

/// `GET /v1/events/stream` (scope `read`): the event feed as Server-Sent Events.
///
/// Each event is `id: <offset>`, `event: <type>`, `data: <envelope>`; a client resumes with
/// the `Last-Event-ID` header (or `?after=N`); without either it starts at the newest event.
/// `types` and `queues` filter as in the feed. A comment line goes out every
/// `heartbeat` seconds so proxies keep the connection open. A client that stops reading is
/// not buffered without bound: the session pauses reading the journal until it catches up.
final class EventStreamHub: @unchecked Sendable {
  static let maxBuffered = 1 << 20

  let journal: any Journal
  let store: StateStore
  private let sessions = Mutex<[Int: EventStreamSession]>([:])
  private let nextId = Atomic<Int>(0)
  private let timer: DispatchSourceTimer

  init(journal: any Journal, store: StateStore, heartbeat: Double = 15) {
    self.journal = journal
    self.store = store
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "junction.sse.heartbeat"))
    timer.schedule(
      deadline: .now() + heartbeat, repeating: .milliseconds(Int(heartbeat * 1000)))
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      for session in sessions.withLock({ Array($0.values) }) { session.heartbeat() }
    }
    timer.resume()
  }

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let query: FeedQuery
    switch FeedQuery.parse(request) {
    case .success(let parsed): query = parsed
    case .failure(let rejection):
      responder.respond(rejection.response)
      return
    }
    var start = journal.lastSequence
    if let lastId = request.headers["Last-Event-ID"] {
      guard let offset = UInt64(lastId.trimmingCharacters(in: .whitespaces)) else {
        responder.respond(
          .error(400, code: "invalid_header", message: "Last-Event-ID: expected an event offset"))
        return
      }
      start = offset
    } else if request.queryValue("after") != nil {
      start = query.after
    }
    let queues = request.queryValue("queues").map {
      Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
    let stream = responder.stream(
      status: 200,
      headers: HTTPHeaders([
        ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"),
        ("X-Accel-Buffering", "no"),
      ]))
    let id = nextId.add(1, ordering: .relaxed).newValue
    let session = EventStreamSession(
      stream: stream, hub: self, cursor: start, types: query.types, queues: queues)
    sessions.withLock { $0[id] = session }
    stream.onClose { [self] in _ = sessions.withLock { $0.removeValue(forKey: id) } }
    stream.write(Array("retry: 3000\n\n".utf8))
    session.wake()
  }

  /// New events were committed (journal follow handler; quick).
  func wake() {
    for session in sessions.withLock({ Array($0.values) }) { session.wake() }
  }

  /// Open streams.
  var count: Int { sessions.withLock { $0.count } }

  func shutdown() {
    timer.cancel()
    for session in sessions.withLock({ Array($0.values) }) { session.stream.finish() }
  }
}

/// One SSE client.
final class EventStreamSession: @unchecked Sendable {
  let stream: HTTPStream
  unowned let hub: EventStreamHub
  private let types: Set<String>?
  private let queues: Set<String>?
  private let queue = DispatchQueue(label: "junction.sse.session")
  private let scheduled = Atomic<Bool>(false)
  /// Confined to `queue`.
  private var cursor: UInt64

  init(
    stream: HTTPStream, hub: EventStreamHub, cursor: UInt64, types: Set<String>?,
    queues: Set<String>?
  ) {
    self.stream = stream
    self.hub = hub
    self.cursor = cursor
    self.types = types
    self.queues = queues
  }

  func wake() {
    guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
    queue.async { [self] in
      scheduled.store(false, ordering: .releasing)
      drain()
    }
  }

  func heartbeat() {
    stream.write(Array(": keep-alive\n\n".utf8))
    wake()
  }

  private func drain() {
    while !stream.isClosed {
      guard stream.pendingBytes < EventStreamHub.maxBuffered else {
        // The client reads slowly: look again shortly instead of buffering more.
        queue.asyncAfter(deadline: .now() + .milliseconds(50)) { [self] in wake() }
        return
      }
      guard let batch = try? hub.journal.read(after: cursor, limit: 200), !batch.isEmpty else {
        return
      }
      var out: [UInt8] = []
      for record in batch {
        cursor = record.sequence
        guard let header = EventHeader(storedBytes: record.payload) else { continue }
        if let types, !types.contains(header.type) { continue }
        if let queues {
          guard let conversation = header.conversationId,
            let queue = hub.store.read({ $0.conversations[conversation]?.conversation.queue }),
            queues.contains(queue)
          else { continue }
        }
        out.append(contentsOf: "id: \(record.sequence)\nevent: \(header.type)\ndata: ".utf8)
        out.append(contentsOf: Event.envelope(offset: record.sequence, storedBytes: record.payload))
        out.append(contentsOf: "\n\n".utf8)
      }
      if !out.isEmpty { stream.write(out) }
    }
  }
}
