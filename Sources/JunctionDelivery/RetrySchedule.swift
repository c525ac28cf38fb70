/// When to try again after a failed attempt.
public struct RetrySchedule: Sendable, Equatable {
  /// Delays before attempt 2, 3, … in seconds (attempt 1 is immediate).
  public var delays: [Double]
  /// ± fraction of each delay added at random so that many retries do not fire together.
  public var jitter: Double

  public init(delays: [Double], jitter: Double = 0.1) {
    self.delays = delays
    self.jitter = jitter
  }

  /// Svix's schedule for event deliveries to helpdesks: immediately, then 5 s, 5 min, 30 min,
  /// 2 h, 5 h, 10 h, 10 h (8 attempts over about 27.6 hours).
  public static let svix = RetrySchedule(
    delays: [5, 300, 1800, 7200, 18_000, 36_000, 36_000], jitter: 0.1)

  /// Exponential backoff for outbound sends: 1 s doubling to 10 min, for up to 24 hours of
  /// attempts (a provider down for minutes gets everything once it is back).
  public static func exponential(
    base: Double = 1, factor: Double = 2, cap: Double = 600, total: Double = 86_400,
    jitter: Double = 0.2
  ) -> RetrySchedule {
    var delays: [Double] = []
    var delay = base
    var elapsed = 0.0
    while elapsed + delay <= total {
      delays.append(delay)
      elapsed += delay
      delay = min(cap, delay * factor)
    }
    return RetrySchedule(delays: delays, jitter: jitter)
  }

  /// Number of attempts in all.
  public var maxAttempts: Int { delays.count + 1 }

  /// The delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed, with
  /// jitter from `random` in [0, 1); nil when no attempt is left. A provider's `Retry-After`
  /// wins when it is longer.
  public func delay(afterAttempt attempt: Int, retryAfter: Double? = nil, random: Double)
    -> Double?
  {
    guard attempt >= 1, attempt <= delays.count else { return nil }
    let base = delays[attempt - 1]
    let jittered = base * (1 + jitter * (2 * random - 1))
    return max(jittered, retryAfter ?? 0)
  }
}
