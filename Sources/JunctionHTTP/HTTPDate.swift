import JunctionModel

/// IMF-fixdate for the `Date` header: `Tue, 24 Nov 2026 07:00:00 GMT`.
enum HTTPDate {
  static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
  static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  static func format(unixSeconds: Int) -> String {
    let dayNumber = Int64(unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400)
    let (year, month, day) = RFC3339.civil(fromDays: dayNumber)
    let secondOfDay = unixSeconds - Int(dayNumber) * 86_400
    let weekday = days[Int(((dayNumber % 7) + 7) % 7)]
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return
      "\(weekday), \(two(day)) \(months[month - 1]) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
  }
}
