import JunctionSystem

/// How an ``HTTPServer`` listens and what it tolerates.
public struct HTTPServerConfiguration: Sendable {
  public var host = "127.0.0.1"
  /// 0 picks a free port (tests).
  public var port = 8080
  /// Event-loop threads.
  public var workers = availableCores()
  /// Pin event loop i to the i-th CPU the process may run on, when there are no more loops
  /// than those CPUs. Left to itself, the scheduler often stacks both loops (and the journal's
  /// writer) on one CPU while the other idles.
  public var pinLoops = false
  /// A longer request head is answered 431.
  public var maxHeadBytes = 16 * 1024
  /// Body limit for routes that do not set their own; over it: 413.
  public var defaultMaxBodyBytes = 1 << 20
  /// Seconds a client has to send a whole request head (from connecting or from its first byte).
  public var headTimeout: Double = 10
  /// Seconds a client has to send a whole body.
  public var bodyTimeout: Double = 30
  /// Seconds an idle keep-alive connection stays open.
  public var idleTimeout: Double = 60
  /// Connections over this many are answered 503 and closed.
  public var maxConnections = 10_000
  /// Seconds `shutdown()` waits for requests in flight.
  public var shutdownGrace: Double = 30
  /// How often each loop checks timeouts, in seconds.
  public var sweepInterval: Double = 0.25

  public init() {}
}
