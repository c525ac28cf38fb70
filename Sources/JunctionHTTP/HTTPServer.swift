import JunctionSystem
import Synchronization

/// An HTTP/1.1 server on epoll, one event loop per core.
///
/// Handlers run on loop threads and must not block; see ``HTTPHandler``.
public final class HTTPServer: Sendable {
  let core: ServerCore
  private let boundPort = Atomic<Int>(0)
  private let state = Mutex<Lifecycle>(.created)

  enum Lifecycle { case created, running, stopped }

  public init(
    configuration: HTTPServerConfiguration, router: HTTPRouter, metrics: MetricsRegistry? = nil
  ) {
    core = ServerCore(
      configuration: configuration, router: router, metrics: metrics ?? MetricsRegistry())
  }

  /// Binds and starts the event loops; returns once listening.
  public func start() throws {
    try state.withLock { state in
      guard case .created = state else { return }
      let configuration = core.configuration
      var port = configuration.port
      var created: [EventLoop] = []
      do {
        for index in 0..<max(1, configuration.workers) {
          let listener = try Socket.listen(host: configuration.host, port: port, reusePort: true)
          if port == 0 { port = try listener.localPort() }
          created.append(try EventLoop(index: index, core: core, listener: listener))
        }
      } catch {
        for loop in created { loop.listener?.close() }
        throw error
      }
      boundPort.store(port, ordering: .releasing)
      core.loops.withLock { $0 = created }
      let pin = configuration.pinLoops && created.count <= availableCores()
      if pin { ThreadAffinity.rememberFreeMask() }
      for loop in created { loop.start(pinned: pin) }
      state = .running
    }
  }

  /// The port the server listens on.
  public var port: Int { boundPort.load(ordering: .acquiring) }

  /// Open connections right now.
  public var connectionCount: Int { core.connections.load(ordering: .relaxed) }

  /// Open connections per event loop (a new one goes to the loop holding the fewest).
  public var connectionsPerLoop: [Int] {
    core.loops.withLock { $0.map { $0.load.load(ordering: .relaxed) } }
  }

  /// The CPU each event loop is pinned to (see ``HTTPServerConfiguration/pinLoops``), nil for
  /// a loop that is not pinned or has not started yet.
  public var loopCores: [Int?] {
    core.loops.withLock { loops in
      loops.map { loop in
        let cpu = loop.pinnedCore.load(ordering: .acquiring)
        return cpu >= 0 ? cpu : nil
      }
    }
  }

  /// Stops accepting, lets requests in flight finish (up to `shutdownGrace`), closes idle and
  /// streaming connections and waits for the loops to end. Any thread; repeat calls are no-ops.
  public func shutdown() {
    let running = state.withLock { state -> Bool in
      guard case .running = state else { return false }
      state = .stopped
      return true
    }
    guard running else { return }
    let all = core.loops.withLock { $0 }
    for loop in all { loop.execute { loop.beginDrain() } }
    for loop in all { loop.stopped.wait() }
  }
}

/// What every loop of a server shares.
final class ServerCore: Sendable {
  let configuration: HTTPServerConfiguration
  let router: HTTPRouter
  let metrics: MetricsRegistry
  let connections = Atomic<Int>(0)
  /// Every loop of the server (set once at start).
  let loops = Locked<[EventLoop]>([])
  let rejected: Counter
  private let connectionGauge: Gauge
  private let requestCounters = Locked<[RequestKey: Counter]>([:])
  private let durations = Locked<[Int: Histogram]>([:])
  private let timeoutCounters = Mutex<[String: Counter]>([:])
  private let logger = Logger()

  init(configuration: HTTPServerConfiguration, router: HTTPRouter, metrics: MetricsRegistry) {
    self.configuration = configuration
    self.router = router
    self.metrics = metrics
    rejected = metrics.counter(
      "junction_http_connections_rejected_total",
      help: "Connections refused over the connection limit")
    connectionGauge = metrics.gauge("junction_http_connections", help: "Open HTTP connections")
  }

  func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

  /// A loop owning fewer connections than `loop` (the fewest), to hand a new one to; nil
  /// when `loop` owns no more than any other.
  func lessLoadedLoop(than loop: EventLoop) -> EventLoop? {
    var best: EventLoop?
    var fewest = loop.load.load(ordering: .relaxed)
    for other in loops.withLock({ $0 })
    where other !== loop && other.takesConnections.load(ordering: .relaxed) {
      let owned = other.load.load(ordering: .relaxed)
      if owned < fewest {
        best = other
        fewest = owned
      }
    }
    return best
  }

  /// Counts a connection if the cap allows it.
  func reserveConnection() -> Bool {
    let after = connections.add(1, ordering: .relaxed).newValue
    if after > configuration.maxConnections {
      connections.subtract(1, ordering: .relaxed)
      return false
    }
    connectionGauge.set(after)
    return true
  }

  func releaseConnection() {
    connectionGauge.set(connections.subtract(1, ordering: .relaxed).newValue)
  }

  /// Counts a response by route, method and status, and its duration by route.
  func record(routeID: Int, route: String, method: HTTPMethod, status: Int, started: UInt64) {
    let key = RequestKey(routeID: routeID, method: method, status: status)
    let counter = requestCounters.withLock { counters -> Counter in
      if let counter = counters[key] { return counter }
      let counter = metrics.counter(
        "junction_http_requests_total", help: "HTTP requests by route, method and status",
        labels: [("route", route), ("method", method.description), ("status", String(status))])
      counters[key] = counter
      return counter
    }
    counter.increment()
    guard started > 0 else { return }
    let histogram = durations.withLock { histograms -> Histogram in
      if let histogram = histograms[routeID] { return histogram }
      let histogram = metrics.histogram(
        "junction_http_request_duration_seconds", help: "Time from request head to response",
        labels: [("route", route)])
      histograms[routeID] = histogram
      return histogram
    }
    histogram.observe(Double(monotonicNanoseconds() - started) / 1e9)
  }

  /// A request counter's identity: routes have ids, so no label strings are hashed per request.
  private struct RequestKey: Hashable {
    var routeID: Int
    var method: HTTPMethod
    var status: Int
  }

  func timeouts(kind: String) -> Counter {
    timeoutCounters.withLock { counters in
      if let counter = counters[kind] { return counter }
      let counter = metrics.counter(
        "junction_http_timeouts_total", help: "Connections cut off by a timeout",
        labels: [("kind", kind)])
      counters[kind] = counter
      return counter
    }
  }

  func logFailure(_ message: String, _ error: any Error) {
    logger.warning("HTTP server: \(message).", ["error": error])
  }
}
