import Testing

@testable import JunctionRouting

@Suite struct LabelledCSVTests {
  @Test func readsQuotedFieldsAcrossLines() throws {
    let csv =
      "\u{FEFF}skill,text,extra\r\nbilling,\"Line one,\nline \"\"two\"\"\",x\ndelivery,plain,\n"
    let rows = try LabelledCSV.parse(Array(csv.utf8))
    #expect(
      rows == [
        LabelledText(text: "Line one,\nline \"two\"", label: "billing"),
        LabelledText(text: "plain", label: "delivery"),
      ])
  }

  @Test func namesTheLineOfInvalidUTF8() {
    var bytes = Array("text,skill\nok,a\n".utf8)
    bytes += [0x66, 0xFF, 0x2C, 0x62, 0x0A]
    #expect(throws: RoutingError.csv(line: 3, message: "not valid UTF-8")) {
      try LabelledCSV.parse(bytes)
    }
  }

  @Test func everyPrefixOfAFileIsHandled() {
    let csv = Array("text,skill\n\"a, \"\"b\"\"\",x\nc,y\n".utf8)
    for cut in 0...csv.count {
      _ = try? LabelledCSV.parse(Array(csv[..<cut]))
    }
    #expect(throws: RoutingError.self) { try LabelledCSV.parse([]) }
  }

  @Test func otherLabelColumns() throws {
    let rows = try LabelledCSV.parse(
      Array("text,category\nhi,card_arrival\n".utf8), labelColumn: "category")
    #expect(rows == [LabelledText(text: "hi", label: "card_arrival")])
  }
}
