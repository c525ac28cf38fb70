import Foundation
import Glibc
import Synchronization

/// Structured log lines on standard error: a sentence, then `key=value` fields
/// (STYLE.md: "Log lines: a sentence, details as key=value fields, secrets never printed").
///
/// `2026-11-24T10:00:00.000Z info Journal recovered. segments=3 records=1200 truncated_bytes=0`
public final class Logger: Sendable {
  public enum Level: Int, Sendable, Comparable {
    case debug, info, warning, error

    var name: String {
      switch self {
      case .debug: return "debug"
      case .info: return "info"
      case .warning: return "warn"
      case .error: return "error"
      }
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  private let minimum: Level
  private let lock = Mutex(())
  private let sink: (@Sendable (String) -> Void)?

  /// Logs at `minimum` and above to standard error, or to `sink` (tests).
  public init(minimum: Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
    self.minimum = minimum
    self.sink = sink
  }

  public func debug(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
    log(.debug, message, fields)
  }
  public func info(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
    log(.info, message, fields)
  }
  public func warning(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
    log(.warning, message, fields)
  }
  public func error(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
    log(.error, message, fields)
  }

  public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, Any>) {
    guard level >= minimum else { return }
    var line = "\(Self.timestamp()) \(level.name) \(message)"
    for (key, value) in fields {
      var text = "\(value)"
      if text.contains(" ") || text.contains("\"") || text.isEmpty {
        text = "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
      }
      line += " \(key)=\(text)"
    }
    line += "\n"
    if let sink {
      sink(line)
      return
    }
    lock.withLock { _ in
      var bytes = Array(line.utf8)
      bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
          if written <= 0 {
            if errno == EINTR { continue }
            return
          }
          offset += written
        }
      }
    }
  }

  private static func timestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let date = Date(timeIntervalSince1970: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
