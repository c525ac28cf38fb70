import JunctionModel

extension BusinessCalendar {
  /// The instant when `businessSeconds` of open time have passed after `time`: the earliest
  /// `r >= time` with `businessSeconds(from: time, to: r) == businessSeconds`.
  ///
  /// A chat SLA of 2 minutes that starts at 17:59 on Friday ends at 09:01 on Monday (or later
  /// when Monday is a holiday). Zero seconds gives `time`. Nil when the calendar does not
  /// provide that much open time within ``horizonDays``.
  public func add(businessSeconds: Double, to time: Timestamp) -> Timestamp? {
    guard businessSeconds < Double(Self.horizonDays) * 86_400 else { return nil }
    var remaining = Int64((max(businessSeconds, 0) * 1000).rounded())
    if remaining == 0 || isAlwaysOpen { return Timestamp(millis: time.millis + remaining) }
    var result: Timestamp?
    forEachOpenInterval(from: time.millis) { start, end in
      let from = max(start, time.millis)
      if remaining <= end - from {
        result = Timestamp(millis: from + remaining)
        return false
      }
      remaining -= end - from
      return true
    }
    return result
  }

  /// Seconds of open time between `start` and `end` (0 when `end` is not after `start`).
  public func businessSeconds(from start: Timestamp, to end: Timestamp) -> Double {
    guard end > start else { return 0 }
    if isAlwaysOpen { return end.seconds(since: start) }
    var total: Int64 = 0
    forEachOpenInterval(from: start.millis) { open, close in
      guard open < end.millis else { return false }
      total += min(close, end.millis) - max(open, start.millis)
      return close < end.millis
    }
    return Double(total) / 1000
  }

  /// Seconds of open time from `start` to `end`, negative when `end` is before `start`.
  public func signedBusinessSeconds(from start: Timestamp, to end: Timestamp) -> Double {
    end >= start ? businessSeconds(from: start, to: end) : -businessSeconds(from: end, to: start)
  }
}
