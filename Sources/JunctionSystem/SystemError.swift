import Glibc

/// An operating-system call failed.
///
/// `call` names the syscall (`"open"`, `"epoll_wait"`), `errno` is the C error number and
/// `context` says what was being done (`"segment 00000001.seg"`), so a log line explains itself.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The syscall that failed.
  public var call: String
  /// The C `errno` value.
  public var errno: Int32
  /// What the caller was doing, for example a path.
  public var context: String

  public init(call: String, errno: Int32, context: String = "") {
    self.call = call
    self.errno = errno
    self.context = context
  }

  /// The C library's text for `errno`.
  public var reason: String { String(cString: strerror(errno)) }

  /// True when the error means the disk is full or over quota.
  public var isNoSpace: Bool { errno == ENOSPC || errno == EDQUOT }

  public var description: String {
    let suffix = context.isEmpty ? "" : " (\(context))"
    return "\(call) failed: \(reason) [errno \(errno)]\(suffix)"
  }
}
