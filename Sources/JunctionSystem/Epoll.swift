import CSystemShims
import Glibc

/// An epoll instance: register descriptors, wait for readiness.
public final class Epoll: @unchecked Sendable {
  /// Readiness a descriptor is registered for or reported with.
  public struct Events: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let readable = Events(rawValue: junction_epollin)
    public static let writable = Events(rawValue: junction_epollout)
    public static let hangup = Events(rawValue: junction_epollhup | junction_epollrdhup)
    public static let error = Events(rawValue: junction_epollerr)
    /// Edge-triggered.
    public static let edge = Events(rawValue: junction_epollet)
  }

  public let descriptor: Int32
  private var buffer: [junction_epoll_event]

  public init(capacity: Int = 256) throws(SystemError) {
    descriptor = try syscall("epoll_create1") { junction_epoll_create() }
    buffer = [junction_epoll_event](repeating: junction_epoll_event(), count: min(capacity, 256))
  }

  deinit { Glibc.close(descriptor) }

  /// Registers `fd` for `events`, tagged with `token` (reported back by ``wait(timeoutMilliseconds:_:)``).
  public func add(_ fd: Int32, events: Events, token: UInt64) throws(SystemError) {
    try control(JUNCTION_EPOLL_CTL_ADD, fd, events, token)
  }

  /// Changes the events `fd` is registered for.
  public func modify(_ fd: Int32, events: Events, token: UInt64) throws(SystemError) {
    try control(JUNCTION_EPOLL_CTL_MOD, fd, events, token)
  }

  /// Unregisters `fd` (closing it does that too).
  public func remove(_ fd: Int32) {
    _ = junction_epoll_ctl(descriptor, JUNCTION_EPOLL_CTL_DEL, fd, 0, 0)
  }

  private func control(_ operation: Int32, _ fd: Int32, _ events: Events, _ token: UInt64)
    throws(SystemError)
  {
    try syscall("epoll_ctl") {
      junction_epoll_ctl(descriptor, operation, fd, events.rawValue, token)
    }
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `handle` for each ready
  /// descriptor's token and events. Returns how many were ready.
  @discardableResult
  public func wait(timeoutMilliseconds: Int32, _ handle: (UInt64, Events) -> Void)
    throws(SystemError) -> Int
  {
    let capacity = Int32(buffer.count)
    let count = try buffer.withUnsafeMutableBufferPointer { events throws(SystemError) -> Int32 in
      let result = junction_epoll_wait(
        descriptor, events.baseAddress, capacity, timeoutMilliseconds)
      if result < 0 {
        if errno == EINTR { return 0 }
        throw SystemError(call: "epoll_wait", errno: errno)
      }
      return result
    }
    for index in 0..<Int(count) {
      handle(buffer[index].token, Events(rawValue: buffer[index].events))
    }
    return Int(count)
  }
}

/// An eventfd used to wake an event loop from another thread.
public final class EventFD: @unchecked Sendable {
  public let descriptor: Int32

  public init() throws(SystemError) {
    descriptor = try syscall("eventfd") { junction_eventfd() }
  }

  deinit { Glibc.close(descriptor) }

  /// Makes the descriptor readable.
  public func signal() {
    var one: UInt64 = 1
    _ = Glibc.write(descriptor, &one, 8)
  }

  /// Clears readability.
  public func drain() {
    var value: UInt64 = 0
    _ = Glibc.read(descriptor, &value, 8)
  }
}
