/// A token bucket: at most `rate` operations per second on average, bursts up to `burst`.
///
/// A value type driven by explicit times (seconds on a monotonic clock), so tests use a manual
/// clock. ``take(now:)`` never lets the average exceed the rate: when it says no, it says when.
public struct TokenBucket: Sendable, Equatable {
  public let rate: Double
  public let burst: Double
  private var tokens: Double
  private var updatedAt: Double

  /// A full bucket at time `now`.
  public init(rate: Double, burst: Double? = nil, now: Double) {
    precondition(rate > 0, "rate must be positive")
    self.rate = rate
    self.burst = max(1, burst ?? max(1, rate))
    tokens = self.burst
    updatedAt = now
  }

  /// Takes one token if available; otherwise returns how many seconds until one is.
  public mutating func take(now: Double) -> TakeResult {
    refill(now: now)
    if tokens >= 1 {
      tokens -= 1
      return .granted
    }
    return .wait((1 - tokens) / rate)
  }

  /// Puts back a token taken for an operation that did not happen.
  public mutating func giveBack(now: Double) {
    refill(now: now)
    tokens = min(burst, tokens + 1)
  }

  private mutating func refill(now: Double) {
    if now > updatedAt {
      tokens = min(burst, tokens + (now - updatedAt) * rate)
      updatedAt = now
    }
  }

  public enum TakeResult: Sendable, Equatable {
    case granted
    /// Seconds to wait before asking again.
    case wait(Double)
  }
}
