import JunctionModel
import Testing

@Suite struct JSONWriterTests {
  @Test func escapesWhatJSONRequires() {
    let text = JSON.string("a\"b\\c\n\u{1}é😀").serializedString()
    #expect(text == #""a\"b\\c\n\u0001é😀""#)
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
