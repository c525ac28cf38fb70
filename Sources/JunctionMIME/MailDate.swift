import Foundation

/// The `Date` header (RFC 5322 §3.3): parsing with the obsolete and common broken forms, and
/// formatting for messages Junction sends.
public enum MailDate {
  static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]
  static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  static let zones: [String: Int] = [
    "ut": 0, "gmt": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "msk": 180, "msd": 240, "cet": 60,
    "cest": 120, "eet": 120, "eest": 180, "wet": 0, "west": 60, "bst": 60,
  ]

  /// Parses a date such as `Fri, 12 Apr 2024 10:00:00 +0300 (MSK)`.
  ///
  /// Accepts: optional day name with or without comma, comments anywhere, two- and
  /// three-digit years (`24` is 2024, `99` is 1999, `124` is 2024), missing seconds, `.` as
  /// time separator, named zones (`GMT`, `EST`, `MSK`; military letters and unknown names
  /// count as UTC), missing zone (UTC), `12-Apr-2024`, and month before day (`Apr 12 2024`).
  /// Returns nil when no day, month and year can be found or a field is out of range.
  public static func parse(_ value: String) -> Date? {
    var text = ""
    var depth = 0
    for character in value {
      if character == "(" {
        depth += 1
      } else if character == ")" {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        text.append(character)
      }
    }
    text = collapseTimeSpaces(text)
    var tokens: [Substring] = []
    for piece in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
      if piece.contains("-") && piece.first?.isNumber == true && piece.contains(where: \.isLetter) {
        tokens.append(contentsOf: piece.split(separator: "-"))
      } else {
        tokens.append(piece)
      }
    }
    var day: Int?
    var month: Int?
    var year: Int?
    var time: (Int, Int, Int)?
    var offsetMinutes: Int?
    for token in tokens {
      let lower = token.lowercased()
      if lower.contains(":") {
        time = parseTime(lower)
      } else if let first = lower.first, first == "+" || first == "-", lower.count >= 3,
        let number = Int(lower.dropFirst()), lower.dropFirst().allSatisfy(\.isNumber)
      {
        let hours = lower.count >= 5 ? number / 100 : number
        let minutes = lower.count >= 5 ? number % 100 : 0
        offsetMinutes = (first == "-" ? -1 : 1) * (hours * 60 + minutes)
      } else if let number = Int(lower), lower.allSatisfy(\.isNumber) {
        if lower.count >= 3 || number > 31 || (day != nil && year == nil) {
          if year == nil { year = number }
        } else if day == nil {
          day = number
        }
      } else if lower.count >= 3, let index = months.firstIndex(of: String(lower.prefix(3))),
        month == nil, !days.contains(String(lower.prefix(3)))
      {
        month = index + 1
      } else if let zone = zones[lower] {
        if offsetMinutes == nil { offsetMinutes = zone }
      }
    }
    guard let day, let month, var year, (1...31).contains(day) else { return nil }
    if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
    let (hour, minute, second) = time ?? (0, 0, 0)
    guard hour <= 23, minute <= 59, second <= 60 else { return nil }
    let daysSinceEpoch = daysFromCivil(year: year, month: month, day: day)
    let seconds =
      daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
      - (offsetMinutes ?? 0) * 60
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// `09 :  55 : 06` (allowed by the obsolete syntax) as `09:55:06`.
  static func collapseTimeSpaces(_ text: String) -> String {
    guard text.contains(":") else { return text }
    var result = ""
    var pendingSpace = false
    for character in text {
      if character == " " || character == "\t" {
        pendingSpace = true
        continue
      }
      if pendingSpace && character != ":" && result.last != ":" { result.append(" ") }
      pendingSpace = false
      result.append(character)
    }
    return result
  }

  static func parseTime(_ text: String) -> (Int, Int, Int)? {
    let parts = text.split(whereSeparator: { $0 == ":" || $0 == "." }).prefix(3)
    guard parts.count >= 2, let hour = Int(parts[parts.startIndex]),
      let minute = Int(parts[parts.startIndex + 1])
    else { return nil }
    let second = parts.count > 2 ? Int(parts[parts.startIndex + 2].prefix(2)) ?? 0 : 0
    return (hour, minute, second)
  }

  /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// `Mon, 22 Nov 2026 10:00:00 +0000` for `date`, in UTC.
  public static func format(_ date: Date) -> String {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let daysSinceEpoch = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - daysSinceEpoch * 86_400
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    let weekday = ((daysSinceEpoch % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let name = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday]
    let monthName = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][month - 1]
    return "\(name), \(day) \(monthName) \(year) \(two(secondOfDay / 3600)):"
      + "\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) +0000"
  }
}
