import Glibc

/// Runs a syscall that returns -1 on failure, retrying while it fails with `EINTR`.
///
/// Every raw syscall in Junction goes through here (or ``syscallAllowingAgain(_:_:context:)``),
/// so no caller forgets the retry and every failure carries the call's name.
@inline(__always)
@discardableResult
public func syscall<T: FixedWidthInteger>(
  _ name: String, context: @autoclosure () -> String = "", _ body: () -> T
) throws(SystemError) -> T {
  while true {
    let result = body()
    if result != -1 { return result }
    let code = errno
    if code == EINTR { continue }
    throw SystemError(call: name, errno: code, context: context())
  }
}

/// Like ``syscall(_:context:_:)`` but returns `nil` instead of throwing when the call would
/// block (`EAGAIN`/`EWOULDBLOCK`), for non-blocking sockets.
@inline(__always)
public func syscallAllowingAgain<T: FixedWidthInteger>(
  _ name: String, context: @autoclosure () -> String = "", _ body: () -> T
) throws(SystemError) -> T? {
  while true {
    let result = body()
    if result != -1 { return result }
    let code = errno
    if code == EINTR { continue }
    if code == EAGAIN || code == EWOULDBLOCK { return nil }
    throw SystemError(call: name, errno: code, context: context())
  }
}
