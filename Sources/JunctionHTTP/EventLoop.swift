import Foundation
import JunctionSystem
import Synchronization

/// One event-loop thread: an epoll instance, a listening socket (SO_REUSEPORT, so the kernel
/// spreads connections over loops) and the connections it owns. The kernel spreads them by a
/// hash of the addresses, which leaves loops several connections apart (under wrk's 64
/// connections one loop did up to 20 % more work than the other), so a loop that accepts
/// while it owns more than another hands the connection over.
/// Everything but ``execute(_:)`` and the atomics runs on the loop's own thread.
final class EventLoop: @unchecked Sendable {
  static let listenerToken = UInt64.max
  static let wakeupToken = UInt64.max - 1

  let index: Int
  let core: ServerCore
  let epoll: Epoll
  let wakeup: EventFD
  var listener: Socket?
  var connections: [UInt64: HTTPConnection] = [:]
  private var nextToken: UInt64 = 1
  private let mailbox = Locked<[@Sendable () -> Void]>([])
  /// Connections owned or being handed over to this loop (read by the other loops).
  let load = Atomic<Int>(0)
  /// Cleared when the loop drains: no connection is handed to it any more.
  let takesConnections = Atomic<Bool>(true)
  /// The CPU the loop's thread is pinned to, -1 when it is not.
  let pinnedCore = Atomic<Int>(-1)
  private var readScratch = [UInt8](repeating: 0, count: 64 * 1024)
  private var lastSweep: UInt64 = 0
  private var dateSecond: Int = -1
  private(set) var dateLine: [UInt8] = []
  var draining = false
  private var drainDeadline: UInt64 = 0
  private var finished = false
  /// Set on the first loop when it pinned itself: its sweeps call
  /// `ThreadAffinity.freeStrayThreads()`.
  private var freesStrayThreads = false
  /// Whether epoll watches the listener. After `accept` fails (out of file descriptors) it is
  /// left out until a connection closes or the next sweep, so the loop does not spin on it.
  private var listenerWatched = true
  /// When an `accept` failure was last logged (at most one line per 10 s per loop).
  private var acceptFailureLogged: UInt64 = 0
  let stopped = DispatchSemaphore(value: 0)

  init(index: Int, core: ServerCore, listener: Socket) throws(SystemError) {
    self.index = index
    self.core = core
    self.listener = listener
    epoll = try Epoll()
    wakeup = try EventFD()
    try epoll.add(listener.descriptor, events: .readable, token: Self.listenerToken)
    try epoll.add(wakeup.descriptor, events: .readable, token: Self.wakeupToken)
  }

  /// Runs `task` on the loop thread soon. Callable from any thread.
  func execute(_ task: @escaping @Sendable () -> Void) {
    let wasEmpty = mailbox.withLock { tasks -> Bool in
      tasks.append(task)
      return tasks.count == 1
    }
    if wasEmpty { wakeup.signal() }
  }

  func start(pinned: Bool) {
    let thread = Thread { [self] in
      if pinned { pin() }
      // Objects made here and dropped by another thread (the journal's writer) come back.
      ReleaseHome.install(ReleaseHome { [weak self] task in self?.execute(task) })
      run()
      if pinned { ThreadAffinity.forgetCurrentThread() }
    }
    thread.name = "junction-http-\(index)"
    thread.start()
  }

  private func pin() {
    do {
      let cpu = try ThreadAffinity.pinCurrentThread(toCore: index)
      // The thread's own mask now holds that one CPU: what the kernel agreed to.
      if availableCores() == 1 {
        pinnedCore.store(cpu, ordering: .releasing)
        freesStrayThreads = index == 0
      }
    } catch {
      core.logFailure("event loop \(index) left unpinned", error)
    }
  }

  private func run() {
    let timeout = Int32(core.configuration.sweepInterval * 1000)
    while !finished {
      var woken = true
      do {
        try epoll.wait(timeoutMilliseconds: timeout) { token, events in
          // Work finished while the loop slept (responses from the journal's writer) goes
          // out before the new requests are read and parsed.
          if woken {
            woken = false
            runMailbox()
          }
          switch token {
          case Self.listenerToken: acceptAll()
          case Self.wakeupToken: wakeup.drain()
          default: connections[token]?.handle(events)
          }
        }
      } catch {
        core.logFailure("epoll_wait failed", error)
      }
      runMailbox()
      let now = monotonicNanoseconds()
      if now - lastSweep >= UInt64(core.configuration.sweepInterval * 1e9) {
        lastSweep = now
        sweep(now: now)
      }
    }
    // A connection handed over while this loop drained is closed by its adopt task.
    runMailbox()
    for connection in Array(connections.values) { connection.close() }
    stopped.signal()
  }

  private func runMailbox() {
    while true {
      let tasks = mailbox.withLock { tasks -> [@Sendable () -> Void] in
        defer { tasks.removeAll(keepingCapacity: true) }
        return tasks
      }
      if tasks.isEmpty { return }
      for task in tasks { task() }
    }
  }

  private func acceptAll() {
    guard let listener else { return }
    while true {
      let accepted: (Socket, String)?
      do {
        accepted = try listener.accept()
      } catch {
        // EMFILE and friends. The listener stays readable while connections wait in the
        // backlog, so watching it would spin the loop (and the log) until a descriptor frees:
        // stop watching it until a connection closes or the next sweep.
        let now = monotonicNanoseconds()
        if acceptFailureLogged == 0 || now - acceptFailureLogged >= 10_000_000_000 {
          acceptFailureLogged = now
          core.logFailure("accept failed; pausing accepts until a connection closes", error)
        }
        if listenerWatched {
          epoll.remove(listener.descriptor)
          listenerWatched = false
        }
        return
      }
      guard let (socket, remote) = accepted else { return }
      guard core.reserveConnection() else {
        core.rejected.increment()
        HTTPConnection.rejectOverCapacity(socket, date: currentDateLine())
        continue
      }
      let owner = core.lessLoadedLoop(than: self) ?? self
      owner.load.add(1, ordering: .relaxed)
      if owner === self {
        adopt(socket, remote: remote)
      } else {
        owner.execute { owner.adopt(socket, remote: remote) }
      }
    }
  }

  /// Starts serving a connection accepted here or handed over by another loop.
  private func adopt(_ socket: Socket, remote: String) {
    let token = nextToken
    guard !draining,
      (try? epoll.add(socket.descriptor, events: [.readable, .hangup], token: token)) != nil
    else {
      socket.close()
      disown()
      return
    }
    nextToken += 1
    socket.setNoDelay()
    connections[token] = HTTPConnection(
      socket: socket, token: token, remoteAddress: remote, loop: self)
  }

  private func disown() {
    core.releaseConnection()
    load.subtract(1, ordering: .relaxed)
  }

  func forget(_ connection: HTTPConnection) {
    if connections.removeValue(forKey: connection.token) != nil { disown() }
    if draining && connections.isEmpty { finished = true }
    resumeAccepting()
  }

  /// Watches the listener again after a pause (a descriptor may be free now); if the next
  /// accept fails too, it pauses again.
  private func resumeAccepting() {
    guard !listenerWatched, !draining, let listener else { return }
    do {
      try epoll.add(listener.descriptor, events: .readable, token: Self.listenerToken)
      listenerWatched = true
    } catch {
      return
    }
  }

  private func sweep(now: UInt64) {
    resumeAccepting()
    // Threads created from a pinned loop (Dispatch's pool grows from the queuing thread)
    // inherit its one CPU; the first loop gives them the process's mask back.
    if freesStrayThreads { ThreadAffinity.freeStrayThreads() }
    for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
    if draining && (connections.isEmpty || now >= drainDeadline) { finished = true }
  }

  /// Stops accepting, closes idle connections, lets the others finish (up to the grace
  /// period), then ends the thread. Runs on the loop thread.
  func beginDrain() {
    guard !draining else { return }
    draining = true
    takesConnections.store(false, ordering: .relaxed)
    drainDeadline = monotonicNanoseconds() + UInt64(core.configuration.shutdownGrace * 1e9)
    if let listener {
      epoll.remove(listener.descriptor)
      listener.close()
      self.listener = nil
    }
    for connection in Array(connections.values) { connection.drain() }
    if connections.isEmpty { finished = true }
  }

  /// Reads from `socket` into the loop's scratch buffer, handing the bytes to `consume`.
  func read(_ socket: Socket, _ consume: (UnsafeRawBufferPointer) -> Void) throws(SystemError)
    -> Int?
  {
    let result = readScratch.withUnsafeMutableBytes { buffer -> Result<Int?, SystemError> in
      Result { () throws(SystemError) -> Int? in
        guard let count = try socket.read(into: buffer) else { return nil }
        consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        return count
      }
    }
    return try result.get()
  }

  /// `Date: …\r\n` for the current second, cached.
  func currentDateLine() -> [UInt8] {
    let now = Int(Date().timeIntervalSince1970)
    if now != dateSecond {
      dateSecond = now
      dateLine = Array("Date: \(HTTPDate.format(unixSeconds: now))\r\n".utf8)
    }
    return dateLine
  }
}
