import Foundation

/// A point in time with millisecond precision, as Junction stores it everywhere (events,
/// projections, timers). Cheaper than `Date` to compare and hash; shown as RFC 3339 in JSON.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  public var millis: Int64

  public init(millis: Int64) { self.millis = millis }

  public init(_ date: Date) {
    millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
  }

  /// Seconds since the Unix epoch (for providers that send Unix time).
  public init(unixSeconds: Int64) { millis = unixSeconds * 1000 }

  /// The current wall-clock time.
  public static func now() -> Timestamp { Timestamp(Date()) }

  public var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
  public var unixSeconds: Int64 { millis >= 0 ? millis / 1000 : (millis - 999) / 1000 }

  /// RFC 3339 text in UTC, `2026-11-22T10:00:00.000Z`.
  public var rfc3339: String { RFC3339.format(millis: millis) }
  public var description: String { rfc3339 }

  /// This time moved by `seconds` (may be negative or fractional).
  public func adding(seconds: Double) -> Timestamp {
    Timestamp(millis: millis + Int64((seconds * 1000).rounded()))
  }

  /// Seconds from `other` to this time.
  public func seconds(since other: Timestamp) -> Double { Double(millis - other.millis) / 1000 }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millis < rhs.millis }

  /// The JSON form: an RFC 3339 string.
  public var json: JSON { .string(rfc3339) }
}
