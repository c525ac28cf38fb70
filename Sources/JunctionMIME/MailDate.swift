import Foundation

/// The `Date` header (RFC 5322 §3.3): parsing with the obsolete and common broken forms, and
/// formatting for messages Junction sends.
public enum MailDate {
  static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]
  static let zones: [String: Int] = [
    "ut": 0, "gmt": 0, "utc": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "msk": 180, "msd": 240, "cet": 60,
    "cest": 120, "eet": 120, "eest": 180, "wet": 0, "west": 60, "bst": 60,
  ]

  /// Parses a date such as `Fri, 12 Apr 2024 10:00:00 +0300 (MSK)`.
  ///
  /// Accepts: optional day name with or without comma, comments anywhere, two- and
  /// three-digit years (`24` is 2024, `99` is 1999, `124` is 2024), missing seconds, spaces
  /// around the colons of the time, named zones (`GMT`, `EST`, `MSK`; military letters and
  /// unknown names count as UTC), missing zone (UTC), `12-Apr-2024`, and month before day
  /// (`Apr 12 2024`). Returns nil when no day, month and year can be found or a field is out
  /// of range.
  public static func parse(_ value: String) -> Date? {
    var fields = Fields()
    for token in tokens(value) { fields.read(token) }
    guard let day = fields.day, let month = fields.month, var year = fields.year,
      (1...31).contains(day)
    else { return nil }
    if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
    let (hour, minute, second) = fields.time ?? (0, 0, 0)
    guard hour <= 23, minute <= 59, second <= 60 else { return nil }
    let daysSinceEpoch = daysFromCivil(year: year, month: month, day: day)
    let seconds =
      daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
      - (fields.offsetMinutes ?? 0) * 60
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// The value lowercased, comments removed, spaces around `:` dropped, split at spaces and
  /// commas (and at `-` inside `12-apr-2024`).
  static func tokens(_ value: String) -> [[UInt8]] {
    var clean: [UInt8] = []
    var depth = 0
    for byte in value.utf8 {
      switch byte {
      case 0x28: depth += 1
      case 0x29: depth = max(0, depth - 1)
      case _ where depth > 0: continue
      case 0x09, 0x0D, 0x0A, 0x2C: clean.append(0x20)
      case 0x3A:
        while clean.last == 0x20 { clean.removeLast() }
        clean.append(byte)
      case 0x20 where clean.last == 0x3A || clean.last == 0x20: continue
      default: clean.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
      }
    }
    var tokens: [[UInt8]] = []
    for piece in clean.split(separator: 0x20) {
      let hasLetter = piece.contains { $0 >= 0x61 && $0 <= 0x7A }
      if hasLetter, piece.contains(0x2D), let first = piece.first, first >= 0x30, first <= 0x39 {
        tokens.append(contentsOf: piece.split(separator: 0x2D).map(Array.init))
      } else {
        tokens.append(Array(piece))
      }
    }
    return tokens
  }

  /// What the tokens of a date said so far.
  struct Fields {
    var day: Int?
    var month: Int?
    var year: Int?
    var time: (Int, Int, Int)?
    var offsetMinutes: Int?

    mutating func read(_ token: [UInt8]) {
      guard let first = token.first else { return }
      if token.contains(0x3A) {
        let parts = token.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard parts.count >= 2, let hour = number(parts[0]), let minute = number(parts[1]) else {
          return
        }
        time = (hour, minute, parts.count > 2 ? number(parts[2].prefix(2)) ?? 0 : 0)
      } else if first == 0x2B || first == 0x2D, token.count >= 3,
        let value = number(token.dropFirst())
      {
        let hours = token.count >= 5 ? value / 100 : value
        let minutes = token.count >= 5 ? value % 100 : 0
        offsetMinutes = (first == 0x2D ? -1 : 1) * (hours * 60 + minutes)
      } else if let value = number(token[...]) {
        if token.count >= 3 || value > 31 || (day != nil && year == nil) {
          if year == nil { year = value }
        } else if day == nil {
          day = value
        }
      } else if token.count >= 3, month == nil,
        let index = MailDate.months.firstIndex(where: { token.starts(with: $0.utf8) })
      {
        month = index + 1
      } else if offsetMinutes == nil,
        let zone = MailDate.zones[String(decoding: token, as: UTF8.self)]
      {
        offsetMinutes = zone
      }
    }

    /// The decimal value of up to 9 ASCII digits, or nil.
    func number(_ digits: ArraySlice<UInt8>) -> Int? {
      guard !digits.isEmpty, digits.count <= 9 else { return nil }
      var value = 0
      for digit in digits {
        guard digit >= 0x30 && digit <= 0x39 else { return nil }
        value = value * 10 + Int(digit - 0x30)
      }
      return value
    }
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

  /// `Mon, 22 Nov 2026 10:00:00 +0000` for `date`, in UTC (clamped to years 1-9999).
  public static func format(_ date: Date) -> String {
    let raw = date.timeIntervalSince1970
    let clamped = raw.isFinite ? min(max(raw, -62_135_596_800), 253_402_300_799) : 0
    let seconds = Int(clamped.rounded(.down))  // years 1-9999
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
