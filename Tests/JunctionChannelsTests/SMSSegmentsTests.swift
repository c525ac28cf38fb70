import JunctionModel
import Testing

@testable import JunctionChannels

/// Segment counts as issue 7 lists them, and splits that never cut an escape or surrogate pair.
@Suite struct SMSSegmentsTests {
  func measure(_ text: String) -> (String, Int, Int) {
    let measured = SMSSegments(text)
    return (measured.encoding.rawValue, measured.segments, measured.units)
  }

  @Test func gsm7At160And161Characters() {
    #expect(measure(String(repeating: "a", count: 160)) == ("GSM-7", 1, 160))
    #expect(measure(String(repeating: "a", count: 161)) == ("GSM-7", 2, 161))
    #expect(measure(String(repeating: "a", count: 306)) == ("GSM-7", 2, 306))
    #expect(measure(String(repeating: "a", count: 307)) == ("GSM-7", 3, 307))
    let parts = SMSSegments.split(String(repeating: "a", count: 161))
    #expect(parts.map(\.count) == [153, 8])
  }

  @Test func extensionCharactersCostTwoSeptets() {
    // 80 euro signs are 160 septets: one SMS; one more character makes two.
    #expect(measure(String(repeating: "€", count: 80)) == ("GSM-7", 1, 160))
    #expect(measure(String(repeating: "€", count: 80) + "a") == ("GSM-7", 2, 161))
    #expect(measure("{}[]~^|\\\u{0C}") == ("GSM-7", 1, 18))
  }

  @Test func anEscapePairAtThe153BoundaryMovesWholeToTheNextPart() {
    // 152 + 2 + 152 = 306 septets: a division says 2, but the euro sign cannot start in the
    // last septet of part 1, so part 2 holds it and 151 letters and one letter is left over.
    let text = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
    #expect(measure(text) == ("GSM-7", 3, 306))
    let parts = SMSSegments.split(text)
    #expect(parts.count == 3)
    #expect(parts[0] == String(repeating: "a", count: 152))
    #expect(parts[1].hasPrefix("€"))
    #expect(parts.joined() == text)
    // The same text with the euro sign one place earlier fits two parts exactly.
    let earlier = String(repeating: "a", count: 151) + "€" + String(repeating: "a", count: 153)
    #expect(measure(earlier) == ("GSM-7", 2, 306))
    #expect(SMSSegments.split(earlier).map { SMSSegments($0).units } == [153, 153])
  }

  @Test func cyrillicAt70And71Characters() {
    #expect(measure(String(repeating: "я", count: 70)) == ("UCS-2", 1, 70))
    #expect(measure(String(repeating: "я", count: 71)) == ("UCS-2", 2, 71))
    #expect(measure(String(repeating: "я", count: 134)) == ("UCS-2", 2, 134))
    #expect(measure(String(repeating: "я", count: 135)) == ("UCS-2", 3, 135))
    #expect(SMSSegments.split(String(repeating: "я", count: 71)).map(\.count) == [67, 4])
  }

  @Test func oneNonGSMCharacterMakesTheWholeTextUCS2() {
    #expect(measure(String(repeating: "a", count: 100) + "ç") == ("UCS-2", 2, 101))
    #expect(measure("Price: 5$ @ home_") == ("GSM-7", 1, 17))
    #expect(measure("Backtick `") == ("UCS-2", 1, 10))
  }

  @Test func anEmojiAtABoundary() {
    // An emoji is a surrogate pair: two UTF-16 units.
    #expect(measure(String(repeating: "я", count: 68) + "😀") == ("UCS-2", 1, 70))
    #expect(measure(String(repeating: "я", count: 69) + "😀") == ("UCS-2", 2, 71))
    // 66 + 2 + 66 = 134 units, but the pair cannot start in unit 67 of part 1: three parts.
    let text = String(repeating: "я", count: 66) + "😀" + String(repeating: "я", count: 66)
    #expect(measure(text) == ("UCS-2", 3, 134))
    let parts = SMSSegments.split(text)
    #expect(parts[0] == String(repeating: "я", count: 66))
    #expect(parts[1].hasPrefix("😀"))
    #expect(parts.joined() == text)
  }

  @Test func splitsNeverCutAPairAndRespectCapacities() {
    let pieces = ["a", "€", "я", "😀", " ", "{", "👍🏽"]
    var generator = SplitMix(seed: 7)
    for _ in 0..<300 {
      var text = ""
      for _ in 0..<Int(generator.next() % 400) {
        text += pieces[Int(generator.next() % UInt64(pieces.count))]
      }
      let measured = SMSSegments(text)
      let parts = SMSSegments.split(text)
      #expect(parts.joined() == text)
      #expect(parts.count == measured.segments)
      let capacity =
        measured.segments == 1
        ? measured.encoding.singleCapacity : measured.encoding.partCapacity
      for part in parts {
        let units =
          measured.encoding == .gsm7
          ? (GSM0338.encode(part)?.count ?? -1) : part.utf16.count
        #expect(units <= capacity)
        #expect(part.utf16.last.map { !UTF16.isLeadSurrogate($0) } ?? true)
      }
    }
  }

  @Test func emptyTextIsOneSegment() {
    #expect(measure("") == ("GSM-7", 1, 0))
    #expect(SMSSegments.split("") == [""])
  }

  @Test func publishesTheJSONRecordedOnMessages() {
    #expect(SMSSegments("Привет").json == ["encoding": "UCS-2", "segments": 1])
    #expect(
      SMSSegments(String(repeating: "x", count: 200)).json == ["encoding": "GSM-7", "segments": 2])
  }

  @Test func theGSMTablesMatchTS23038() {
    #expect(GSM0338.basicTable.count == 128)
    #expect(Set(GSM0338.basicTable).count == 128)
    let spots: [(Int, Unicode.Scalar)] = [
      (0x00, "@"), (0x02, "$"), (0x0A, "\n"), (0x0D, "\r"), (0x10, "\u{0394}"), (0x11, "_"),
      (0x1C, "Æ"), (0x1F, "É"), (0x24, "¤"), (0x40, "¡"), (0x5B, "Ä"), (0x5F, "§"), (0x60, "¿"),
      (0x7B, "ä"), (0x7F, "à"),
    ]
    for (code, scalar) in spots { #expect(GSM0338.basicTable[code] == scalar) }
    #expect(GSM0338.encode("@€a") == [0x00, 0x1B, 0x65, 0x61])
    #expect(GSM0338.encode("ç") == nil)
    #expect(GSM0338.septets("Ω") == 1)
    #expect(GSM0338.septets("\u{2126}") == nil)  // OHM SIGN is not GREEK CAPITAL OMEGA
  }
}

/// A tiny deterministic generator for randomized tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
