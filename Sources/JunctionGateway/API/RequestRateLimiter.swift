import JunctionDelivery
import JunctionHTTP
import JunctionSystem
import Synchronization

/// Keeps one noisy source from slowing everyone (issue 9, "hostile clients"): a token bucket
/// per channel instance for webhooks and per API token for helpdesk calls. A request over its
/// source's rate is answered `429` with `Retry-After` at once, before any parsing or journal
/// work. Buckets allow bursts of twice the rate.
final class RequestRateLimiter: Sendable {
  private let rate: Double
  private let buckets = Mutex<[String: TokenBucket]>([:])
  private let limited: Counter

  init(rate: Double, metrics: MetricsRegistry, kind: String) {
    self.rate = rate
    limited = metrics.counter(
      "junction_rate_limited_total", help: "Requests answered 429 by a rate limit",
      labels: [("kind", kind)])
  }

  /// nil when `source` may go on; otherwise the 429 to answer.
  func check(_ source: String) -> HTTPResponse? {
    guard rate > 0 else { return nil }
    let now = Double(monotonicNanoseconds()) / 1e9
    let result = buckets.withLock { buckets -> TokenBucket.TakeResult in
      var bucket = buckets[source] ?? TokenBucket(rate: rate, burst: rate * 2, now: now)
      defer { buckets[source] = bucket }
      return bucket.take(now: now)
    }
    guard case .wait(let seconds) = result else { return nil }
    limited.increment()
    var response = HTTPResponse.error(
      429, code: "rate_limited", message: "too many requests from \(source); slow down")
    response.headers.add("Retry-After", String(max(1, Int(seconds.rounded(.up)))))
    return response
  }
}
