import JunctionModel
import JunctionRouting
import Testing

private func at(_ text: String) -> Timestamp { QueueingFixtures.at(text) }

@Suite struct BusinessCalendarTests {
  /// Moscow office: split shift on weekdays, New Year holidays.
  let office = QueueingFixtures.calendar(
    "Europe/Moscow",
    """
    {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "tue": [["09:00", "13:00"], ["14:00", "18:00"]],
     "wed": [["09:00", "13:00"], ["14:00", "18:00"]], "thu": [["09:00", "13:00"], ["14:00", "18:00"]],
     "fri": [["09:00", "13:00"], ["14:00", "18:00"]]}
    """,
    holidays: """
      [{"date": "2026-12-31", "name": "New Year's Eve"}, {"from": "2027-01-01", "to": "2027-01-08"}]
      """)

  @Test func splitShiftOpensAndClosesAroundLunch() {
    #expect(office.isOpen(at: at("2026-11-23T10:00:00+03:00")))
    #expect(!office.isOpen(at: at("2026-11-23T13:30:00+03:00")))
    #expect(office.isOpen(at: at("2026-11-23T14:00:00+03:00")))
    #expect(!office.isOpen(at: at("2026-11-23T18:00:00+03:00")))
    #expect(
      office.nextOpening(after: at("2026-11-23T13:30:00+03:00")) == at("2026-11-23T14:00:00+03:00"))
    #expect(
      office.nextOpening(after: at("2026-11-23T10:00:00+03:00")) == at("2026-11-23T10:00:00+03:00"))
    #expect(
      office.nextClosing(after: at("2026-11-23T10:00:00+03:00")) == at("2026-11-23T13:00:00+03:00"))
  }

  @Test func weekendWaitsForMonday() {
    // Friday 2026-11-27 after hours → Monday 2026-11-30 09:00.
    #expect(
      office.nextOpening(after: at("2026-11-27T18:30:00+03:00")) == at("2026-11-30T09:00:00+03:00"))
    #expect(!office.isOpen(at: at("2026-11-28T12:00:00+03:00")))
    #expect(
      office.businessSeconds(
        from: at("2026-11-27T17:00:00+03:00"), to: at("2026-11-30T10:00:00+03:00"))
        == 7200)
  }

  @Test func businessTimeSkipsLunch() {
    let due = office.add(businessSeconds: 120, to: at("2026-11-23T12:59:00+03:00"))
    #expect(due == at("2026-11-23T14:01:00+03:00"))
    #expect(
      office.add(businessSeconds: 0, to: at("2026-11-23T13:30:00+03:00"))
        == at("2026-11-23T13:30:00+03:00"))
    // Starting while closed counts from the opening.
    #expect(
      office.add(businessSeconds: 60, to: at("2026-11-23T07:00:00+03:00"))
        == at("2026-11-23T09:01:00+03:00"))
  }

  @Test func holidaysCloseWholeDatesAndRanges() {
    #expect(!office.isOpen(at: at("2026-12-31T10:00:00+03:00")))
    #expect(!office.isOpen(at: at("2027-01-05T10:00:00+03:00")))
    #expect(office.holiday(on: LocalDate("2027-01-05")!)?.first == LocalDate("2027-01-01"))
    #expect(
      office.nextOpening(after: at("2026-12-30T19:00:00+03:00")) == at("2027-01-11T09:00:00+03:00"))
    // One hour left on 30 December, the other on 11 January.
    #expect(
      office.add(businessSeconds: 7200, to: at("2026-12-30T17:00:00+03:00"))
        == at("2027-01-11T10:00:00+03:00"))
    #expect(
      office.businessSeconds(
        from: at("2026-12-30T17:00:00+03:00"), to: at("2027-01-11T10:00:00+03:00"))
        == 7200)
  }

  @Test func springForwardInBerlin() {
    // 2026-03-29 is the last Sunday of March: 02:00 CET becomes 03:00 CEST (01:00Z).
    let weekdays = QueueingFixtures.calendar(
      "Europe/Berlin",
      #"{"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}"#
    )
    // Friday 16:00 CET + 2 business hours = Monday 10:00 CEST, which is 08:00Z (not 09:00Z).
    #expect(
      weekdays.add(businessSeconds: 7200, to: at("2026-03-27T15:00:00Z"))
        == at("2026-03-30T08:00:00Z"))
    #expect(weekdays.nextOpening(after: at("2026-03-28T12:00:00Z")) == at("2026-03-30T07:00:00Z"))
    let night = QueueingFixtures.calendar("Europe/Berlin", #"{"sun": [["01:00","05:00"]]}"#)
    // 01:00 CET (00:00Z) to 05:00 CEST (03:00Z): three hours that night, four the week before.
    #expect(
      night.businessSeconds(from: at("2026-03-28T00:00:00Z"), to: at("2026-03-30T00:00:00Z")) == 3
        * 3600)
    #expect(
      night.businessSeconds(from: at("2026-03-21T00:00:00Z"), to: at("2026-03-23T00:00:00Z")) == 4
        * 3600)
    // A shift starting at 02:30, a time that day never has, opens at the change.
    let gap = QueueingFixtures.calendar("Europe/Berlin", #"{"sun": [["02:30","06:00"]]}"#)
    #expect(gap.nextOpening(after: at("2026-03-28T23:00:00Z")) == at("2026-03-29T01:00:00Z"))
  }

  @Test func fallBackInBerlin() {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:30 happens twice.
    let night = QueueingFixtures.calendar("Europe/Berlin", #"{"sun": [["01:00","05:00"]]}"#)
    #expect(
      night.businessSeconds(from: at("2026-10-24T00:00:00Z"), to: at("2026-10-26T00:00:00Z")) == 5
        * 3600)
    let ambiguous = QueueingFixtures.calendar("Europe/Berlin", #"{"sun": [["02:30","06:00"]]}"#)
    #expect(ambiguous.nextOpening(after: at("2026-10-24T22:00:00Z")) == at("2026-10-25T00:30:00Z"))
    #expect(ambiguous.isOpen(at: at("2026-10-25T01:15:00Z")))
  }

  @Test func springForwardInNewYork() {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT.
    let daily = QueueingFixtures.calendar(
      "America/New_York",
      #"{"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]], "sat": [["09:00","17:00"]], "sun": [["09:00","17:00"]]}"#
    )
    #expect(
      daily.add(businessSeconds: 7200, to: at("2026-03-07T16:00:00-05:00"))
        == at("2026-03-08T10:00:00-04:00"))
    #expect(daily.isOpen(at: at("2026-03-08T09:30:00-04:00")))
    // 21:30Z is 17:30 EDT (closed); in EST it would have been 16:30 (open).
    #expect(!daily.isOpen(at: at("2026-03-08T21:30:00Z")))
    #expect(daily.isOpen(at: at("2026-03-07T21:30:00Z")))
  }

  @Test func overnightShiftJoinsAcrossMidnight() {
    let night = QueueingFixtures.calendar(
      "Europe/Moscow", #"{"mon": [["22:00","24:00"]], "tue": [["00:00","06:00"]]}"#)
    #expect(night.isOpen(at: at("2026-11-24T03:00:00+03:00")))
    #expect(!night.isOpen(at: at("2026-11-24T06:00:00+03:00")))
    #expect(
      night.nextClosing(after: at("2026-11-23T23:00:00+03:00")) == at("2026-11-24T06:00:00+03:00"))
    #expect(
      night.add(businessSeconds: 3600, to: at("2026-11-23T23:30:00+03:00"))
        == at("2026-11-24T00:30:00+03:00"))
  }

  @Test func alwaysOpenIsWallClock() {
    let calendar = BusinessCalendar.alwaysOpen
    #expect(calendar.isOpen(at: at("2026-12-31T03:00:00Z")))
    #expect(
      calendar.add(businessSeconds: 90, to: at("2026-12-31T03:00:00Z"))
        == at("2026-12-31T03:01:30Z"))
    #expect(
      calendar.businessSeconds(from: at("2026-12-31T03:00:00Z"), to: at("2026-12-31T04:00:00Z"))
        == 3600)
  }

  @Test func localDates() {
    #expect(LocalDate("2026-03-29")?.weekday == .sunday)
    #expect(LocalDate("2026-11-23")?.weekday == .monday)
    #expect(LocalDate("2026-02-30") == nil)
    #expect(LocalDate("2026-2-3") == nil)
    #expect(LocalDate("2028-02-29")?.description == "2028-02-29")
    #expect(TimeOfDay.minutes("24:00") == 1440)
    #expect(TimeOfDay.minutes("24:01") == nil)
    #expect(TimeOfDay.minutes("9:00") == nil)
  }

  /// add and businessSeconds agree, and business time adds up, at random instants across a
  /// year with DST changes and holidays.
  @Test func arithmeticIsConsistentAtRandomInstants() {
    var random = QueueingRandom(seed: 42)
    let berlin = QueueingFixtures.calendar(
      "Europe/Berlin",
      #"{"mon": [["08:00","12:00"],["13:00","17:30"]], "wed": [["22:00","24:00"]], "thu": [["00:00","02:00"],["09:00","17:00"]], "sat": [["01:30","03:30"]], "sun": [["02:00","03:00"]]}"#,
      holidays: #"[{"date": "2026-10-26"}, {"from": "2026-12-24", "to": "2026-12-26"}]"#)
    let start = at("2026-01-01T00:00:00Z").millis
    for _ in 0..<300 {
      let from = Timestamp(millis: start + Int64.random(in: 0..<(365 * 86_400_000), using: &random))
      let seconds = Double(Int.random(in: 0..<(40 * 3600), using: &random))
      let end = berlin.add(businessSeconds: seconds, to: from)!
      #expect(berlin.businessSeconds(from: from, to: end) == seconds)
      if seconds > 0 { #expect(berlin.isOpen(at: end.adding(seconds: -0.001))) }
      let middle = Timestamp(millis: (from.millis + end.millis) / 2)
      #expect(
        berlin.businessSeconds(from: from, to: middle)
          + berlin.businessSeconds(from: middle, to: end)
          == seconds)
    }
  }
}
