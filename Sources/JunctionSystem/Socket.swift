import CSystemShims
import Glibc

/// A socket file descriptor with the handful of operations Junction's server needs.
///
/// Non-blocking sockets return `nil` from ``read(into:)`` and ``write(_:)`` when the call
/// would block; `0` from `read` means the peer closed its side.
public struct Socket: Sendable, Hashable {
  /// The file descriptor.
  public let descriptor: Int32

  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// A TCP socket listening on `host:port` (IPv4 dotted quad or `localhost`; `0.0.0.0` for
  /// all). `reusePort` lets several event loops each own a listener on the same port.
  public static func listen(host: String, port: Int, backlog: Int32 = 1024, reusePort: Bool)
    throws(SystemError) -> Socket
  {
    let fd = try syscall("socket") {
      Glibc.socket(
        AF_INET,
        Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
        0)
    }
    let socket = Socket(descriptor: fd)
    do {
      try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
      if reusePort { try socket.setOption(SOL_SOCKET, SO_REUSEPORT, 1) }
      var address = try Self.address(host: host, port: port)
      try syscall("bind", context: "\(host):\(port)") {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
      }
      try syscall("listen") { Glibc.listen(fd, backlog) }
    } catch {
      socket.close()
      throw error
    }
    return socket
  }

  static func address(host: String, port: Int) throws(SystemError) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
    let name = host == "localhost" ? "127.0.0.1" : host
    guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
      throw SystemError(call: "inet_pton", errno: EINVAL, context: "not an IPv4 address: \(host)")
    }
    return address
  }

  /// The local port this socket is bound to.
  public func localPort() throws(SystemError) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try syscall("getsockname") {
      withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          getsockname(descriptor, $0, &length)
        }
      }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Accepts one pending connection as a non-blocking socket with its peer's address; nil
  /// when none is pending.
  public func accept() throws(SystemError) -> (Socket, String)? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let fd = try syscallAllowingAgain("accept4") {
      withUnsafeMutablePointer(to: &address) {
        junction_accept4(descriptor, $0, &length)
      }
    }
    guard let fd else { return nil }
    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
    inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
    let host = String(
      decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return (Socket(descriptor: fd), "\(host):\(UInt16(bigEndian: address.sin_port))")
  }

  /// Sets an integer socket option.
  public func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
    var value = value
    try syscall("setsockopt") {
      setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }
  }

  /// Turns off Nagle's algorithm so small responses leave at once.
  public func setNoDelay() {
    _ = try? setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
  }

  /// Reads into `buffer`; the byte count, 0 at end of stream, nil when it would block.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
    try syscallAllowingAgain("read") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
  }

  /// Writes from `buffer`; the byte count written (maybe partial), nil when it would block.
  public func write(_ buffer: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
    try syscallAllowingAgain("send") {
      send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
    }
  }

  /// Shuts down the writing side (the peer reads end of stream).
  public func shutdownWrite() { _ = Glibc.shutdown(descriptor, Int32(SHUT_WR)) }

  /// Closes the descriptor.
  public func close() { _ = Glibc.close(descriptor) }
}
