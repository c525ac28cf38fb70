import Foundation

/// RFC 3339 timestamps ("2026-11-22T10:00:00.123Z"), formatted and parsed without
/// Foundation's slow date formatters.
public enum RFC3339 {
  /// Formats `date` in UTC with millisecond precision: `2026-11-22T10:00:00.123Z`.
  public static func format(_ date: Date) -> String {
    format(millis: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
  }

  /// Formats milliseconds since the epoch (UTC, millisecond precision) without allocating
  /// anything but the result.
  public static func format(millis totalMillis: Int64) -> String {
    var seconds = totalMillis.floorDivided(by: 1000)
    let millis = Int(totalMillis - seconds * 1000)
    let days = seconds.floorDivided(by: 86_400)
    seconds -= days * 86_400
    let (year, month, day) = civil(fromDays: days)
    return String(unsafeUninitializedCapacity: 24) { buffer in
      func put(_ value: Int, _ width: Int, at offset: Int) {
        var value = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
          buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
          value /= 10
        }
      }
      put(max(0, min(9999, year)), 4, at: 0)
      buffer[4] = UInt8(ascii: "-")
      put(month, 2, at: 5)
      buffer[7] = UInt8(ascii: "-")
      put(day, 2, at: 8)
      buffer[10] = UInt8(ascii: "T")
      put(Int(seconds / 3600), 2, at: 11)
      buffer[13] = UInt8(ascii: ":")
      put(Int(seconds % 3600 / 60), 2, at: 14)
      buffer[16] = UInt8(ascii: ":")
      put(Int(seconds % 60), 2, at: 17)
      buffer[19] = UInt8(ascii: ".")
      put(millis, 3, at: 20)
      buffer[23] = UInt8(ascii: "Z")
      return 24
    }
  }

  /// Parses an RFC 3339 date-time (`Z` or `±hh:mm` offset, optional fraction); nil when the
  /// text is not one.
  public static func parse(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20 else { return nil }
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= bytes.count else { return nil }
      var value = 0
      for index in start..<(start + count) {
        let byte = bytes[index]
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
      bytes[7] == UInt8(ascii: "-"), let day = number(8, 2),
      bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == 0x20,
      let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(14, 2),
      bytes[16] == UInt8(ascii: ":"), let second = number(17, 2),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour < 24, minute < 60, second <= 60
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 0.1
      let start = index
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        fraction += Double(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    guard index < bytes.count else { return nil }
    var offsetSeconds = 0
    switch bytes[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      index += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard let offsetHours = number(index + 1, 2), bytes.count > index + 3,
        bytes[index + 3] == UInt8(ascii: ":"), let offsetMinutes = number(index + 4, 2),
        offsetHours < 24, offsetMinutes < 60
      else { return nil }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60)
      if bytes[index] == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
      index += 6
    default:
      return nil
    }
    guard index == bytes.count else { return nil }
    let days = Self.days(fromCivil: year, month, day)
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    return Date(timeIntervalSince1970: Double(seconds - Int64(offsetSeconds)) + fraction)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
    let shiftedYear = Int64(month <= 2 ? year - 1 : year)
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
    let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date of a day number since 1970-01-01.
  public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
    let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
    let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Number of days in a month of a year.
  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

}

extension Int64 {
  /// Division rounding toward negative infinity.
  fileprivate func floorDivided(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }
}
