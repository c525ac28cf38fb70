import JunctionModel

/// A day of the week, Monday first (business calendars are written Monday to Sunday).
public enum Weekday: Int, Sendable, CaseIterable, Comparable {
  case monday = 0
  case tuesday, wednesday, thursday, friday, saturday, sunday

  /// The key used in config files: `mon`, `tue`, … `sun`.
  public var key: String {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue]
  }

  /// The weekday for a config key (`mon` … `sun`), nil when unknown.
  public init?(key: String) {
    guard let found = Weekday.allCases.first(where: { $0.key == key }) else { return nil }
    self = found
  }

  /// Monday comes first.
  public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A date on a wall calendar, with no time zone: what a holiday or a shift's day is.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Days since 1970-01-01 (proleptic Gregorian).
  public var dayNumber: Int64

  /// The date `dayNumber` days after 1970-01-01.
  public init(dayNumber: Int64) { self.dayNumber = dayNumber }

  /// The date `year`-`month`-`day`; nil when it does not exist (`2026-02-30`).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...RFC3339.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    dayNumber = RFC3339.days(fromCivil: year, month, day)
  }

  /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// Year, month and day.
  public var components: (year: Int, month: Int, day: Int) { RFC3339.civil(fromDays: dayNumber) }

  /// The day of the week (1970-01-01 was a Thursday).
  public var weekday: Weekday {
    let index = ((dayNumber + 3) % 7 + 7) % 7
    return Weekday(rawValue: Int(index)) ?? .monday
  }

  /// This date moved by `days`.
  public func adding(days: Int64) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

  /// `YYYY-MM-DD`.
  public var description: String {
    let (year, month, day) = components
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  /// Earlier dates first.
  public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
}

/// A time of day in minutes since midnight, written `HH:MM` (`24:00` is the end of the day).
public enum TimeOfDay {
  /// Minutes since midnight for `HH:MM` (00:00 … 24:00); nil when malformed.
  public static func minutes(_ text: String) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60,
      hour < 24 || (hour == 24 && minute == 0)
    else { return nil }
    return hour * 60 + minute
  }

  /// `HH:MM` for minutes since midnight.
  public static func text(_ minutes: Int) -> String {
    "\(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
  }
}

/// Zero-padded decimal.
private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}
