import JunctionSystem

/// Everything that can go wrong with a journal, with where it happened.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A ``StreamCondition`` did not hold; nothing of the batch was written.
  case conflict(stream: String, expected: UInt64, actual: UInt64)
  /// The disk refused a write or fsync (`SystemError.isNoSpace` for a full disk). Nothing of
  /// the failed batch counts as written; the journal keeps serving once the disk recovers.
  case io(SystemError)
  /// A record that is not the torn tail failed its checks: the log is damaged and Junction
  /// refuses to start on it rather than silently dropping acknowledged data.
  case corrupted(segment: String, offset: Int64, reason: String)
  /// The journal was closed.
  case closed
  /// A single batch or record exceeds the configured size limit.
  case tooLarge(bytes: Int, limit: Int)
  /// Another process holds the data directory.
  case locked(path: String)

  public var description: String {
    switch self {
    case let .conflict(stream, expected, actual):
      return "conflict on stream \(stream): expected version \(expected), found \(actual)"
    case let .io(error):
      return "journal I/O error: \(error)"
    case let .corrupted(segment, offset, reason):
      return "journal corrupted in segment \(segment) at offset \(offset): \(reason)"
    case .closed:
      return "journal is closed"
    case let .tooLarge(bytes, limit):
      return "journal batch of \(bytes) bytes exceeds the limit of \(limit)"
    case let .locked(path):
      return "data directory \(path) is in use by another junction process"
    }
  }
}
