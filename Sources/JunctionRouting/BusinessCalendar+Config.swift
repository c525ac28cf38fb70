import Foundation
import JunctionConfig
import JunctionModel

extension BusinessCalendar {
  /// Reads one entry of `routing.json`'s `calendars`:
  /// `{"id": "office", "time_zone": "Europe/Moscow", "hours": {"mon": [["09:00", "13:00"],
  /// ["14:00", "18:00"]], …}, "holidays": [{"date": "2026-12-31"}, {"from": …, "to": …}]}`.
  ///
  /// Reports malformed or overlapping shifts, shifts ending before they start, unknown time
  /// zones, malformed or overlapping holidays; nil when the entry cannot be used.
  static func parse(_ entry: ConfigObject) -> BusinessCalendar? {
    let id = entry.nonEmptyString("id", required: true)
    var timeZone: TimeZone?
    if let name = entry.nonEmptyString("time_zone", required: true) {
      timeZone = TimeZone(identifier: name)
      if timeZone == nil {
        entry.context.issue(
          entry.path("time_zone"),
          "unknown time zone \"\(name)\" (use an IANA name such as \"Europe/Moscow\")")
      }
    }
    let shifts = parseHours(entry.object("hours", required: true), entry: entry)
    let holidays = parseHolidays(entry.objects("holidays") ?? [], context: entry.context)
    _ = entry.string("name")
    entry.finish()
    guard let id, let timeZone, let shifts else { return nil }
    return BusinessCalendar(id: id, timeZone: timeZone, shifts: shifts, holidays: holidays)
  }

  private static func parseHours(_ hours: ConfigObject?, entry: ConfigObject)
    -> [Weekday: [BusinessShift]]?
  {
    guard let hours else { return nil }
    var result: [Weekday: [BusinessShift]] = [:]
    var written = false
    for day in Weekday.allCases {
      guard let items = hours.array(day.key) else { continue }
      written = written || !items.isEmpty
      var dayShifts: [(path: String, shift: BusinessShift)] = []
      for (path, item) in items {
        if let shift = parseShift(item, path: path, context: hours.context) {
          dayShifts.append((path, shift))
        }
      }
      dayShifts.sort { $0.shift.start < $1.shift.start }
      for (earlier, later) in zip(dayShifts, dayShifts.dropFirst())
      where later.shift.start < earlier.shift.end {
        hours.context.issue(
          later.path,
          "overlaps \(earlier.path) (\(describe(earlier.shift)) and \(describe(later.shift)))")
      }
      result[day] = dayShifts.map(\.shift)
    }
    hours.finish()
    if result.values.allSatisfy(\.isEmpty) {
      if written { return nil }
      hours.context.issue(hours.path, "has no business hours (every day is closed)")
      return nil
    }
    return result
  }

  private static func parseShift(_ item: JSON, path: String, context: ConfigContext)
    -> BusinessShift?
  {
    guard let pair = item.arrayValue, pair.count == 2,
      let startText = pair[0].stringValue, let endText = pair[1].stringValue
    else {
      context.issue(path, "expected a shift such as [\"09:00\", \"18:00\"]")
      return nil
    }
    guard let start = TimeOfDay.minutes(startText), start < 1440 else {
      context.issue(
        "\(path)[0]", "expected a time from \"00:00\" to \"23:59\", found \"\(startText)\"")
      return nil
    }
    guard let end = TimeOfDay.minutes(endText) else {
      context.issue(
        "\(path)[1]", "expected a time from \"00:00\" to \"24:00\", found \"\(endText)\"")
      return nil
    }
    guard start < end else {
      context.issue(
        path,
        "ends before it starts (\(startText) to \(endText)); for a shift past midnight end it at "
          + "\"24:00\" and continue from \"00:00\" on the next day")
      return nil
    }
    return BusinessShift(start: start, end: end)
  }

  private static func parseHolidays(_ entries: [ConfigObject], context: ConfigContext) -> [Holiday]
  {
    var parsed: [(path: String, holiday: Holiday)] = []
    for entry in entries {
      let name = entry.string("name")
      var first: LocalDate?
      var last: LocalDate?
      if entry.has("date") {
        first = date(entry, "date")
        last = first
        if entry.has("from") || entry.has("to") {
          context.issue(entry.path, "give either \"date\" or \"from\" and \"to\", not both")
        }
      } else if entry.has("from") || entry.has("to") {
        first = date(entry, "from", required: true)
        last = date(entry, "to", required: true)
        if let from = first, let to = last, to < from {
          context.issue(entry.path("to"), "is before \"from\" (\(from))")
          first = nil
        }
      } else {
        context.issue(entry.path, "expected \"date\" or \"from\" and \"to\"")
      }
      entry.finish()
      if let first, let last {
        parsed.append((entry.path, Holiday(first: first, last: last, name: name)))
      }
    }
    for (index, item) in parsed.enumerated() {
      for earlier in parsed[..<index]
      where earlier.holiday.first <= item.holiday.last && item.holiday.first <= earlier.holiday.last
      {
        let shared = max(earlier.holiday.first, item.holiday.first)
        context.issue(item.path, "overlaps \(earlier.path) (both include \(shared))")
      }
    }
    return parsed.map(\.holiday)
  }

  private static func date(_ entry: ConfigObject, _ key: String, required: Bool = false)
    -> LocalDate?
  {
    guard let text = entry.string(key, required: required) else { return nil }
    guard let date = LocalDate(text) else {
      entry.context.issue(
        entry.path(key), "expected a date such as \"2026-12-31\", found \"\(text)\"")
      return nil
    }
    return date
  }

  private static func describe(_ shift: BusinessShift) -> String {
    "\(TimeOfDay.text(shift.start))-\(TimeOfDay.text(shift.end))"
  }
}
