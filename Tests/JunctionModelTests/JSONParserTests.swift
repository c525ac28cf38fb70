import JunctionModel
import Testing

@Suite struct JSONParserTests {
  @Test func parsesEveryKindOfValue() throws {
    let json = try JSON.parse(
      #"{"a":1,"b":-2.5e3,"c":"x\ny","d":[true,false,null],"e":{},"f":[],"g":-1001873264519}"#)
    #expect(json["a"] == .int(1))
    #expect(json["b"] == .double(-2500))
    #expect(json["c"] == .string("x\ny"))
    #expect(json["d"] == .array([.bool(true), .bool(false), .null]))
    #expect(json["e"] == .object(JSONObject()))
    #expect(json["f"] == .array([]))
    #expect(json["g"]?.intValue == -1_001_873_264_519)
  }

  /// Found by bench/scale and bench/hostile: duplicate keys were looked for by scanning the
  /// members parsed so far, so an object of n keys cost n²/2 comparisons — a 1 MiB body of
  /// 90k keys held an event loop for 9 s, a 35 MB snapshot took 34 s to read. The time limit
  /// is a guard far above the linear cost (milliseconds), not a measurement.
  @Test(.timeLimit(.minutes(1))) func objectsWithManyKeysAreCheckedForDuplicates() throws {
    let count = 100_000
    let members = (0..<count).map { "\"key-\($0)\": \($0)" }
    let text = "{" + members.joined(separator: ",") + "}"
    let object = try #require(try JSONParser().parse(text).objectValue)
    #expect(object.count == count)
    #expect(object.keys.last == "key-\(count - 1)")

    let repeated = "{" + members.joined(separator: ",") + ", \"key-7\": \"again\"}"
    #expect(throws: JSONParseError.self) { try JSONParser().parse(repeated) }
    do {
      _ = try JSONParser().parse(repeated)
    } catch {
      #expect(error.reason == "duplicate key \"key-7\"")
      #expect(error.offset == text.utf8.count + 1)
    }
    // Lenient parsing keeps the last value, in the position of the last member.
    let lenient = try #require(
      try JSONParser(allowDuplicateKeys: true).parse(repeated).objectValue)
    #expect(lenient.count == count)
    #expect(lenient["key-7"] == "again")
    #expect(lenient.keys.last == "key-7")
  }

  @Test func keepsMemberOrder() throws {
    let json = try JSON.parse(#"{"z":1,"a":2,"m":3}"#)
    #expect(json.objectValue?.keys == ["z", "a", "m"])
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let json = try JSON.parse(#""\u0431\u0435\u0437 \ud83d\ude00 \"q\" \\ \/ \b\f\r\t""#)
    #expect(json == .string("без 😀 \"q\" \\ / \u{8}\u{C}\r\t"))
  }

  @Test func keepsRawUTF8() throws {
    #expect(try JSON.parse("\"Привет, سلام\"") == .string("Привет, سلام"))
  }

  @Test func hugeIntegersBecomeDoubles() throws {
    #expect(try JSON.parse("9223372036854775807") == .int(Int64.max))
    #expect(try JSON.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
  }

  @Test(arguments: [
    "", " ", "{", "}", "[1,]", "[,1]", #"{"a":1,}"#, #"{"a" 1}"#, "{a:1}", "01", "-", "1.",
    ".5", "1e", "+1", "tru", "nul", "[1 2]", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
    "\"\\udc00\"", "\"a\u{1}b\"", "1 2", "[1]x", "NaN", "Infinity", "1e999", #"{"a":1,"a":2}"#,
  ])
  func rejectsInvalidText(_ text: String) {
    #expect(throws: JSONParseError.self) { try JSON.parse(text) }
  }

  @Test func rejectsInvalidUTF8() throws {
    #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xFF, 0xFE, 0x22]) }
    #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xC3, 0x22]) }
    // Overlong "/", a UTF-16 surrogate, a truncated 3-byte sequence, a code point above
    // U+10FFFF, a lone continuation byte: each plain and after an escape (the slower path).
    let invalid: [[UInt8]] = [
      [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80],
    ]
    for bytes in invalid {
      #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0x61] + bytes + [0x22]) }
      #expect(throws: JSONParseError.self) {
        try JSON.parse([0x22, 0x5C, 0x6E] + bytes + [0x61, 0x22])
      }
    }
    // Valid multi-byte text comes back as written on both paths.
    let valid = Array("Привет ۱۲۳ 😀 ё".utf8)
    #expect(try JSON.parse([0x22] + valid + [0x22]) == .string("Привет ۱۲۳ 😀 ё"))
    #expect(try JSON.parse([0x22, 0x5C, 0x74] + valid + [0x22]) == .string("\tПривет ۱۲۳ 😀 ё"))
  }

  @Test func stringsAreScannedEightBytesAtATimeWithoutMissingAnythingAtAnyPosition() throws {
    // A quote, a backslash escape, a control byte, a multi-byte letter or an invalid byte at
    // every offset of strings longer than one eight-byte word: each must be seen where it is.
    func quoted(_ bytes: [UInt8]) -> [UInt8] { [0x22] + bytes + [0x22] }
    func text(_ bytes: [UInt8]) -> JSON { .string(String(decoding: bytes, as: UTF8.self)) }
    for length in [7, 8, 9, 15, 16, 17, 31] {
      for position in 0..<length {
        var plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        plain[position] = UInt8(ascii: "b")
        #expect(try JSON.parse(quoted(plain)) == text(plain))
        // `\n` parses to a line feed; "ж" (two bytes) comes back as written.
        var escaped = plain
        escaped.replaceSubrange(position...position, with: [0x5C, UInt8(ascii: "n")])
        var expected = plain
        expected[position] = 0x0A
        #expect(try JSON.parse(quoted(escaped)) == text(expected))
        var cyrillic = plain
        cyrillic.replaceSubrange(position...position, with: Array("ж".utf8))
        #expect(try JSON.parse(quoted(cyrillic)) == text(cyrillic))
        // A control byte, an invalid byte and an early quote are each refused.
        for bad: UInt8 in [0x01, 0xFF, 0x22] {
          var broken = plain
          broken[position] = bad
          #expect(throws: JSONParseError.self) { try JSON.parse(quoted(broken)) }
        }
      }
    }
  }

  @Test func errorsCarryTheOffset() {
    #expect(throws: JSONParseError(offset: 9, reason: "expected ',' or '}' in object")) {
      try JSON.parse(#"{"a": 1  x}"#)
    }
    #expect(throws: JSONParseError(offset: 8, reason: "duplicate key \"a\"")) {
      try JSON.parse(#"{"a":1, "a":2}"#)
    }
  }

  @Test func duplicateKeysCanBeAllowed() throws {
    let json = try JSONParser(allowDuplicateKeys: true).parse(#"{"a":1,"a":2}"#)
    #expect(json["a"] == .int(2))
  }

  @Test func nestingIsBounded() {
    let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(throws: Never.self) { try JSON.parse(fine) }
  }

  @Test func randomBytesNeverCrash() {
    var generator = SeededGenerator(seed: 42)
    let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsn\u "#.utf8) + [0x00, 0xFF, 0xC3]
    for _ in 0..<20_000 {
      let length = Int(generator.next() % 24)
      let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      _ = try? JSON.parse(bytes)
    }
  }
}

/// A deterministic generator so randomised tests repeat.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
