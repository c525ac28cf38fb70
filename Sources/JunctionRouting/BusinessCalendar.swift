import Foundation
import JunctionModel

/// One stretch of business hours on a weekday, in minutes since local midnight.
///
/// `end` may be 1440 (`24:00`); a shift past midnight is written as one ending at `24:00` and
/// one starting at `00:00` the next day, which the calendar joins into one open stretch.
public struct BusinessShift: Sendable, Hashable {
  /// Minutes since local midnight when the shift starts.
  public var start: Int
  /// Minutes since local midnight when it ends (up to 1440).
  public var end: Int

  /// A shift from `start` to `end` minutes.
  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }
}

/// Days on which a calendar is closed all day: one date or an inclusive range of dates.
public struct Holiday: Sendable, Hashable {
  /// The first closed date.
  public var first: LocalDate
  /// The last closed date (equal to `first` for one day).
  public var last: LocalDate
  /// What the day is (`New Year`), for people reading the config.
  public var name: String?

  /// A holiday from `first` to `last`, inclusive.
  public init(first: LocalDate, last: LocalDate, name: String? = nil) {
    self.first = first
    self.last = last
    self.name = name
  }

  /// Whether `date` falls in this holiday.
  public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }
}

/// Business hours in a time zone: shifts per weekday (split shifts allowed) and holidays.
///
/// Every question is answered in UTC ``Timestamp``s, computed from the calendar's wall-clock
/// rules with the time zone's offsets, so answers stay right across daylight-saving changes: a
/// shift from 09:00 to 18:00 is nine hours long on the day clocks change unless it spans the
/// change itself (then it is eight or ten). A wall time the change skips (02:30 on the spring
/// night in Europe/Berlin) resolves to the moment of the change; one that occurs twice (02:30
/// on the autumn night) resolves to its first occurrence. Holidays close whole local dates.
///
/// ``alwaysOpen`` is the calendar of a queue without one: open at every instant.
public struct BusinessCalendar: Sendable, Equatable {
  /// The id admins refer to (`office`).
  public var id: String
  /// The time zone the hours are written in.
  public var timeZone: TimeZone
  /// Shifts per weekday (index ``Weekday/rawValue``), sorted, not overlapping.
  public var shifts: [[BusinessShift]]
  /// Holidays sorted by first date.
  public var holidays: [Holiday]
  /// True for the 24/7 calendar; then `shifts` and `holidays` are ignored.
  public var isAlwaysOpen: Bool

  /// How far ahead (in days) questions look for an opening before answering "never".
  public static let horizonDays: Int64 = 3_660

  /// A calendar open at the given shifts except on holidays.
  public init(
    id: String, timeZone: TimeZone, shifts: [Weekday: [BusinessShift]],
    holidays: [Holiday] = []
  ) {
    self.id = id
    self.timeZone = timeZone
    self.shifts = Weekday.allCases.map { day in
      (shifts[day] ?? []).filter { $0.start < $0.end }.sorted { $0.start < $1.start }
    }
    self.holidays = holidays.sorted { $0.first < $1.first }
    isAlwaysOpen = false
  }

  private init(alwaysOpenWithId id: String) {
    self.id = id
    timeZone = TimeZone(secondsFromGMT: 0) ?? .current
    shifts = Array(repeating: [], count: 7)
    holidays = []
    isAlwaysOpen = true
  }

  /// Open at every instant (queues and SLAs without a calendar).
  public static let alwaysOpen = BusinessCalendar(alwaysOpenWithId: "24/7")

  /// Whether the calendar is open at `time`.
  public func isOpen(at time: Timestamp) -> Bool {
    if isAlwaysOpen { return true }
    var open = false
    forEachOpenInterval(from: time.millis) { start, _ in
      open = start <= time.millis
      return false
    }
    return open
  }

  /// The first instant at or after `time` when the calendar is open: `time` itself when open
  /// now, else the start of the next shift ("we will answer from 9:00"). Nil when it does not
  /// open within ``horizonDays``.
  public func nextOpening(after time: Timestamp) -> Timestamp? {
    if isAlwaysOpen { return time }
    var found: Timestamp?
    forEachOpenInterval(from: time.millis) { start, _ in
      found = Timestamp(millis: max(start, time.millis))
      return false
    }
    return found
  }

  /// The first instant at or after `time` when the calendar is closed (nil when always open,
  /// or open past the horizon).
  public func nextClosing(after time: Timestamp) -> Timestamp? {
    if isAlwaysOpen { return nil }
    var found: Timestamp?
    forEachOpenInterval(from: time.millis) { start, end in
      found = Timestamp(millis: start <= time.millis ? end : time.millis)
      return false
    }
    return found ?? time
  }

  /// The local date and minute of the day at `time` in the calendar's time zone.
  public func wallClock(at time: Timestamp) -> (date: LocalDate, minute: Int) {
    let local = time.millis + offsetMillis(at: time.millis)
    let day = floorDivide(local, 86_400_000)
    return (LocalDate(dayNumber: day), Int((local - day * 86_400_000) / 60_000))
  }

  /// The holiday covering `date`, if any.
  public func holiday(on date: LocalDate) -> Holiday? {
    holidays.first { $0.contains(date) }
  }

  /// Calls `body` with each open stretch `[start, end)` (UTC milliseconds) that ends after
  /// `from`, in order, joining stretches that touch; stops when `body` returns false or at the
  /// horizon.
  func forEachOpenInterval(from: Int64, _ body: (Int64, Int64) -> Bool) {
    let firstDate = wallClock(at: Timestamp(millis: from)).date.adding(days: -1)
    var pending: (Int64, Int64)?
    var holidayIndex = 0
    for offset in 0..<Self.horizonDays {
      let date = firstDate.adding(days: offset)
      while holidayIndex < holidays.count, holidays[holidayIndex].last < date {
        holidayIndex += 1
      }
      if holidayIndex < holidays.count, holidays[holidayIndex].contains(date) { continue }
      for shift in shifts[date.weekday.rawValue] {
        let start = instant(date, minute: shift.start)
        let end = instant(date, minute: shift.end)
        guard start < end else { continue }
        if let open = pending, start <= open.1 {
          pending = (open.0, max(open.1, end))
          continue
        }
        if let open = pending, open.1 > from, !body(open.0, open.1) { return }
        pending = (start, end)
      }
    }
    if let open = pending, open.1 > from { _ = body(open.0, open.1) }
  }
}

/// Division rounding toward negative infinity.
private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
  value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}
