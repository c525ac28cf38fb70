import Foundation
import Testing

@testable import JunctionMIME

@Suite("Date header (RFC 5322 §3.3)")
struct MailDateTests {
  @Test(arguments: [
    ("Fri, 21 Nov 1997 09:55:06 -0600", 880_127_706),
    ("Tue, 1 Jul 2003 10:52:37 +0200", 1_057_049_557),
    ("Thu, 13 Feb 1969 23:32:54 -0330", -27_723_426),
    ("21 Nov 97 09:55:06 GMT", 880_106_106),
    ("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", 880_127_706),
    ("Mon, 01 Apr 2024 10:00:00 +0300 (MSK)", 1_711_954_800),
    ("Mon, 1 Apr 24 10:00 EST", 1_711_983_600),
    ("Mon, 1 Apr 2024 10:00:00 MSK", 1_711_954_800),
    ("1 Apr 124 07:00:00 +0000", 1_711_954_800),
    ("Monday, 01-Apr-2024 07:00:00 UT", 1_711_954_800),
    ("Apr 1 2024 07:00:00 +0000", 1_711_954_800),
    ("Mon, 1 Apr 2024 07:00:00", 1_711_954_800),
    ("Mon, 1 Apr 2024 07:00:00 Z", 1_711_954_800),
    ("Sun, 31 Dec 2023 23:59:60 +0000", 1_704_067_199),
  ])
  func parses(_ text: String, _ seconds: Int) {
    #expect(MailDate.parse(text)?.timeIntervalSince1970 == TimeInterval(seconds))
  }

  @Test(arguments: [
    "", "yesterday", "32 Apr 2024 10:00", "1 Foo 2024", "1 Apr 2024 25:00", "12:00",
  ])
  func rejects(_ text: String) {
    #expect(MailDate.parse(text) == nil)
  }

  @Test func formats() {
    #expect(MailDate.format(Date(timeIntervalSince1970: 0)) == "Thu, 1 Jan 1970 00:00:00 +0000")
    #expect(
      MailDate.format(Date(timeIntervalSince1970: 1_711_954_800))
        == "Mon, 1 Apr 2024 07:00:00 +0000")
    #expect(MailDate.format(Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
    #expect(
      MailDate.format(Date(timeIntervalSince1970: 1e300)) == "Fri, 31 Dec 9999 23:59:59 +0000")
    #expect(MailDate.format(Date(timeIntervalSince1970: .nan)) == "Thu, 1 Jan 1970 00:00:00 +0000")
  }

  @Test func formatThenParseIsIdentity() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<2000 {
      let seconds = Int64(generator.next() % 8_000_000_000) - 2_000_000_000
      let date = Date(timeIntervalSince1970: TimeInterval(seconds))
      #expect(MailDate.parse(MailDate.format(date)) == date)
    }
  }
}
