import JunctionModel
import Testing

@Suite struct JSONWriterTests {
  @Test func escapesWhatJSONRequires() {
    let text = JSON.string("a\"b\\c\n\u{1}é😀").serializedString()
    #expect(text == #""a\"b\\c\n\u0001é😀""#)
  }

  /// Strings long enough for the eight-bytes-at-a-time scan, with the byte that needs escaping
  /// at every offset, among ASCII and multi-byte text (UTF-8 bytes at or above 0x80 must never
  /// be taken for one that needs escaping).
  @Test func escapesAtEveryOffsetOfLongStrings() throws {
    let specials: [(Character, String)] = [
      ("\"", #"\""#), ("\\", #"\\"#), ("\n", #"\n"#), ("\u{1F}", #"\u001f"#), ("\u{0}", #"\u0000"#),
    ]
    for filler in ["abcdefgh", "ж", "Привет, мир! ", "🙂"] {
      let body = String(repeating: filler, count: 40)
      for (special, escaped) in specials {
        for offset in 0..<24 {
          var characters = Array(body)
          let at = min(offset, characters.count)
          characters.insert(special, at: at)
          let text = String(characters)
          let expected =
            "\"" + String(characters[..<at]) + escaped + String(characters[(at + 1)...]) + "\""
          #expect(JSON.string(text).serializedString() == expected)
          #expect(try JSON.parse(JSON.string(text).serialized()) == .string(text))
        }
        #expect(JSON.string(body).serializedString() == "\"" + body + "\"")
      }
    }
  }

  /// Every length from empty to a few words, with the byte to escape at every position: the
  /// scan's short-string loop, its whole words and its overlapping last word all see it.
  @Test func escapesAtEveryPositionOfEveryShortLength() {
    for length in 0...40 {
      let plain = String(
        (0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
      #expect(JSON.string(plain).serializedString() == "\"" + plain + "\"")
      for position in 0..<length {
        var characters = Array(plain)
        characters[position] = "\""
        let text = String(characters)
        let expected =
          "\"" + String(characters[..<position]) + #"\""# + String(characters[(position + 1)...])
          + "\""
        #expect(JSON.string(text).serializedString() == expected)
      }
    }
  }

  @Test func writesCompactOrderedObjects() {
    let value: JSON = ["b": 1, "a": [true, nil, "x"], "c": ["d": 2.5]]
    #expect(value.serializedString() == #"{"b":1,"a":[true,null,"x"],"c":{"d":2.5}}"#)
  }

  @Test func integersAndDoubles() {
    #expect(JSON.int(Int64.min).serializedString() == "-9223372036854775808")
    #expect(JSON.int(0).serializedString() == "0")
    #expect(JSON.double(3).serializedString() == "3")
    #expect(JSON.double(.nan).serializedString() == "null")
  }

  @Test func roundTripsThroughTheParser() throws {
    let value: JSON = [
      "text": "Привет \"мир\"\t\u{0}", "n": -42, "list": [1, 2.25, [], ["k": nil]],
      "emoji": "👍🏽",
    ]
    #expect(try JSON.parse(value.serialized()) == value)
  }

  @Test func streamingWriterManagesCommas() {
    var writer = JSONWriter()
    writer.beginObject()
    writer.key("a")
    writer.beginArray()
    writer.int(1)
    writer.string("two")
    writer.raw(Array(#"{"x":3}"#.utf8))
    writer.endArray()
    writer.key("b")
    writer.null()
    writer.endObject()
    #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":[1,"two",{"x":3}],"b":null}"#)
  }
}
