import Foundation

extension BusinessCalendar {
  /// The time zone's offset from UTC at the UTC instant `millis`, in milliseconds.
  func offsetMillis(at millis: Int64) -> Int64 {
    let date = Date(timeIntervalSince1970: Double(floorDivideSeconds(millis)))
    return Int64(timeZone.secondsFromGMT(for: date)) * 1000
  }

  /// The UTC instant (milliseconds) of wall time `minute` on local `date`.
  ///
  /// A wall time that occurs twice (clocks going back) gives its first occurrence; one that
  /// never occurs (clocks going forward) gives the instant of the change. The result never
  /// decreases as the wall time increases, so shifts stay in order.
  func instant(_ date: LocalDate, minute: Int) -> Int64 {
    let local = (date.dayNumber * 1440 + Int64(minute)) * 60_000
    let day: Int64 = 86_400_000
    let before = offsetMillis(at: local - day)
    let after = offsetMillis(at: local + day)
    let candidates = [local - before, local - after].filter { $0 + offsetMillis(at: $0) == local }
    if let first = candidates.min() { return first }
    // A gap: find the change between the two readings, to the second.
    var low = floorDivideSeconds(min(local - before, local - after))
    var high = floorDivideSeconds(max(local - before, local - after))
    let lowOffset = offsetMillis(at: low * 1000)
    while high - low > 1 {
      let middle = low + (high - low) / 2
      if offsetMillis(at: middle * 1000) == lowOffset { low = middle } else { high = middle }
    }
    return high * 1000
  }

  private func floorDivideSeconds(_ millis: Int64) -> Int64 {
    millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
  }
}
