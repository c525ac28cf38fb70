import Foundation
import JunctionModel
import Testing

@Suite struct RFC3339Tests {
  @Test func formatsInUTCWithMilliseconds() {
    #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    #expect(
      RFC3339.format(Date(timeIntervalSince1970: 1_795_860_000.123)) == "2026-11-28T10:00:00.123Z")
    #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
  }

  @Test func parsesOffsetsAndFractions() throws {
    let utc = try #require(RFC3339.parse("2026-11-22T10:00:00Z"))
    #expect(utc.timeIntervalSince1970 == 1_795_341_600)
    let moscow = try #require(RFC3339.parse("2026-11-22T13:00:00+03:00"))
    #expect(moscow == utc)
    let tehran = try #require(RFC3339.parse("2026-11-22T13:30:00.5+03:30"))
    #expect(tehran.timeIntervalSince1970 == 1_795_341_600.5)
    #expect(RFC3339.parse("2026-11-22t10:00:00z") == utc)
  }

  @Test(arguments: [
    "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
    "2026-11-22T24:00:00Z", "2026-11-22T10:00:00+0300", "2026-11-22T10:00:00.Z",
    "garbage text here",
    "2026-11-22T10:00:00Zjunk",
  ])
  func rejectsNonRFC3339(_ text: String) {
    #expect(RFC3339.parse(text) == nil)
  }

  @Test func civilConversionRoundTripsAcrossCenturies() {
    for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
      let (year, month, day) = RFC3339.civil(fromDays: days)
      #expect(RFC3339.days(fromCivil: year, month, day) == days)
    }
  }

  @Test func timestampRoundTrip() {
    let now = Timestamp(millis: 1_795_428_000_123)
    #expect(RFC3339.parse(now.rfc3339).map(Timestamp.init) == now)
  }
}

@Suite struct IdentifierTests {
  @Test func hasPrefixAndFixedLength() {
    let id = Identifier.make("msg")
    #expect(id.hasPrefix("msg_"))
    #expect(id.count == 30)
    #expect(id.dropFirst(4).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
  }

  @Test func sortsByTimeAndNeverRepeats() {
    let early = Identifier.make("x", at: Date(timeIntervalSince1970: 1_000_000))
    let late = Identifier.make("x", at: Date(timeIntervalSince1970: 1_000_001))
    #expect(early < late)
    let many = Set((0..<10_000).map { _ in Identifier.make("evt") })
    #expect(many.count == 10_000)
  }

  @Test func threadsMakingIdsAtOnceNeverCollide() async {
    // Four threads, the same millisecond for all: only the random part tells them apart.
    let at = Date(timeIntervalSince1970: 1_700_000_000)
    let made = await withTaskGroup(of: [String].self) { group in
      for _ in 0..<4 {
        group.addTask { (0..<25_000).map { _ in Identifier.make("evt", at: at) } }
      }
      var all: [String] = []
      for await ids in group { all += ids }
      return all
    }
    #expect(made.count == 100_000)
    #expect(Set(made).count == 100_000)
  }
}
