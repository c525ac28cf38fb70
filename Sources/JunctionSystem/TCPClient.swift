import Glibc
import Synchronization

/// A blocking TCP client: connect, send bytes, read with a deadline. For tests, the end-to-end
/// harness and benchmarks — it lets a test control exactly which bytes go on the wire and when.
public final class TCPClient: @unchecked Sendable {
  public let socket: Socket
  private let closed = Atomic<Bool>(false)

  /// Connects to `host:port` (IPv4).
  public init(host: String = "127.0.0.1", port: Int) throws(SystemError) {
    let fd = try syscall("socket") {
      Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }
    socket = Socket(descriptor: fd)
    var address = try Socket.address(host: host, port: port)
    do {
      try syscall("connect", context: "\(host):\(port)") {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
      }
    } catch {
      close()
      throw error
    }
    socket.setNoDelay()
  }

  deinit { close() }

  /// Closes the connection once: later calls and the deinitializer do nothing. (Closing the
  /// `socket` directly and then letting the deinitializer close it again closed whatever
  /// descriptor had been given the same number meanwhile — another test's socket or pipe.)
  public func close() {
    if !closed.exchange(true, ordering: .acquiringAndReleasing) { socket.close() }
  }

  /// Sends all of `bytes`.
  public func send(_ bytes: [UInt8]) throws(SystemError) {
    var offset = 0
    while offset < bytes.count {
      let written = try syscall("send") {
        bytes.withUnsafeBytes { buffer in
          Glibc.send(
            socket.descriptor, buffer.baseAddress! + offset, buffer.count - offset,
            Int32(MSG_NOSIGNAL))
        }
      }
      offset += written
    }
  }

  /// Sends a string's UTF-8 bytes.
  public func send(_ text: String) throws(SystemError) { try send(Array(text.utf8)) }

  /// Reads whatever arrives within `timeout` seconds (at least one read); empty on timeout,
  /// nil when the peer closed the connection.
  public func receive(timeout: Double, maxBytes: Int = 1 << 20) throws(SystemError) -> [UInt8]? {
    guard try waitReadable(timeout: timeout) else { return [] }
    var buffer = [UInt8](repeating: 0, count: maxBytes)
    let count = try syscall("recv") {
      buffer.withUnsafeMutableBytes { raw in recv(socket.descriptor, raw.baseAddress, raw.count, 0)
      }
    }
    return count == 0 ? nil : Array(buffer[..<count])
  }

  /// Reads until `done` says the bytes so far are complete, the peer closes, or `timeout`
  /// seconds pass; returns everything read.
  public func receive(timeout: Double, until done: ([UInt8]) -> Bool) throws(SystemError) -> [UInt8]
  {
    let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
    var received: [UInt8] = []
    while !done(received) {
      let now = monotonicNanoseconds()
      guard now < deadline else { break }
      guard let chunk = try receive(timeout: Double(deadline - now) / 1e9) else { break }
      received += chunk
    }
    return received
  }

  /// Whether the peer has closed the connection within `timeout` seconds (reading and
  /// discarding anything it sends first).
  public func waitForClose(timeout: Double) throws(SystemError) -> Bool {
    let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
    while true {
      let now = monotonicNanoseconds()
      guard now < deadline else { return false }
      do {
        guard let chunk = try receive(timeout: Double(deadline - now) / 1e9) else { return true }
        if chunk.isEmpty { return false }
      } catch {
        if error.errno == ECONNRESET { return true }
        throw error
      }
    }
  }

  /// Half-closes: the server reads end of stream, this side can still read.
  public func shutdownWrite() { socket.shutdownWrite() }

  private func waitReadable(timeout: Double) throws(SystemError) -> Bool {
    var descriptor = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
    let ready = try syscall("poll") { poll(&descriptor, 1, Int32(max(0, timeout * 1000))) }
    return ready > 0
  }
}
