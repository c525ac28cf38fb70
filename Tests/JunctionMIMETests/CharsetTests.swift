import Testing

@testable import JunctionMIME

@Suite("Charsets")
struct CharsetTests {
  /// "Привет Ёё" in each charset (bytes from the published code charts).
  @Test(arguments: [
    ("windows-1251", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x20, 0xA8, 0xB8] as [UInt8]),
    ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 0x20, 0xB3, 0xA3]),
    ("iso-8859-5", [0xBF, 0xE0, 0xD8, 0xD2, 0xD5, 0xE2, 0x20, 0xA1, 0xF1]),
    ("ibm866", [0x8F, 0xE0, 0xA8, 0xA2, 0xA5, 0xE2, 0x20, 0xF0, 0xF1]),
    ("utf-8", Array("Привет Ёё".utf8)),
    (
      "utf-16be",
      [
        0x04, 0x1F, 0x04, 0x40, 0x04, 0x38, 0x04, 0x32, 0x04, 0x35, 0x04, 0x42, 0x00, 0x20, 0x04,
        0x01, 0x04, 0x51,
      ]
    ),
  ])
  func russianCharsets(_ label: String, _ bytes: [UInt8]) throws {
    let charset = try #require(Charset(label))
    #expect(charset.decode(bytes) == "Привет Ёё")
  }

  @Test(arguments: [
    ("cp1251", "windows-1251"), ("Windows-1251", "windows-1251"), ("win-1251", "windows-1251"),
    ("x-cp1251", "windows-1251"), ("\"CP1251\"", "windows-1251"), ("koi8r", "koi8-r"),
    ("KOI8-R", "koi8-r"), ("latin1", "iso-8859-1"), ("ISO_8859-1:1987", "iso-8859-1"),
    ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("us-ascii", "us-ascii"), ("cp866", "ibm866"),
    ("ISO-8859-5", "iso-8859-5"), ("ks_c_5601-1987", "euc-kr"), ("gb2312", "gb18030"),
    ("windows-1252", "windows-1252"), ("x-mac-cyrillic", "mac-cyrillic"), ("UCS-2", "utf-16"),
  ])
  func aliases(_ label: String, _ canonical: String) {
    #expect(Charset(label)?.name == canonical)
  }

  @Test func latin1IsReadAsWindows1252() throws {
    let charset = try #require(Charset("iso-8859-1"))
    #expect(charset.decode([0x93, 0x63, 0x61, 0x66, 0xE9, 0x94, 0x20, 0x80]) == "“café” €")
  }

  @Test(arguments: [
    ("gb2312", [0xC4, 0xE3, 0xBA, 0xC3] as [UInt8], "你好"),
    ("big5", [0xA7, 0x41, 0xA6, 0x6E], "你好"),
    ("euc-kr", [0xBE, 0xC8, 0xB3, 0xE7], "안녕"),
    ("shift_jis", [0x82, 0xB1, 0x82, 0xF1], "こん"),
    ("iso-8859-7", [0xE1, 0xE2], "αβ"),
    ("windows-1253", [0xE1, 0xE2], "αβ"),
  ])
  func foundationCharsets(_ label: String, _ bytes: [UInt8], _ expected: String) throws {
    #expect(try #require(Charset(label)).decode(bytes) == expected)
  }

  @Test func unknownLabelFallsBackToUTF8ThenGuess() {
    let utf8 = Charset.decode(Array("Привет".utf8)[...], label: "x-nonsense")
    #expect(utf8.text == "Привет" && !utf8.recognised)
    let cp1251 = Charset.decode([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2][...], label: "x-nonsense")
    #expect(cp1251.text == "Привет")
    #expect(Charset("x-nonsense") == nil)
  }

  @Test func guessTellsRussianCharsetsApart() {
    let text =
      "Съешь же ещё этих мягких французских булок, да выпей чаю. Здравствуйте, заказ не пришёл!"
    for charset in [Charset.windows1251, .koi8R, .cp866] {
      guard case .table(let table) = charset.decoder else { continue }
      var bytes: [UInt8] = []
      for scalar in text.unicodeScalars {
        if scalar.value < 0x80 {
          bytes.append(UInt8(scalar.value))
        } else if let index = table.codePoints.firstIndex(of: UInt16(scalar.value)) {
          bytes.append(UInt8(0x80 + index))
        }
      }
      #expect(Charset.guess(bytes[...]) == charset, "\(charset.name)")
      #expect(Charset.decode(bytes[...], label: nil).text == text)
    }
  }

  @Test func guessKeepsWesternTextWestern() {
    let bytes: [UInt8] =
      Array("Gr".utf8) + [0xFC, 0xDF, 0x65] + Array(" aus M".utf8) + [0xFC]
      + Array("nchen, caf".utf8) + [0xE9]
    #expect(Charset.guess(bytes[...]) == .windows1252)
    #expect(Charset.guess(Array("plain".utf8)[...]) == .usASCII)
    #expect(Charset.guess(Array("Grüße".utf8)[...]) == .utf8)
  }

  @Test func asciiLabelWithEightBitBytesIsGuessed() throws {
    #expect(try #require(Charset("us-ascii")).decode(Array("Привет".utf8)) == "Привет")
  }

  @Test func utf16ByteOrder() throws {
    let utf16 = try #require(Charset("utf-16"))
    #expect(utf16.decode([0xFE, 0xFF, 0x04, 0x1F, 0x00, 0x41]) == "ПA")
    #expect(utf16.decode([0xFF, 0xFE, 0x1F, 0x04, 0x41, 0x00]) == "ПA")
    #expect(utf16.decode([0x1F, 0x04, 0x41, 0x00]) == "ПA", "no BOM: the small bytes are high")
    #expect(utf16.decode([0x04, 0x1F, 0x00, 0x41]) == "ПA")
    #expect(utf16.decode([0x04, 0x1F, 0x00]) == "П", "an odd trailing byte is dropped")
    let little = try #require(Charset("utf-16le"))
    #expect(little.decode([0xFF, 0xFE, 0x41, 0x00]) == "A", "a BOM is not text")
    #expect(little.decode([0x00, 0xD8, 0x41, 0x00]) == "\u{FFFD}A", "lone surrogate replaced")
  }

  @Test func invalidUTF8IsReplacedNotDropped() throws {
    #expect(Charset.utf8.decode([0x41, 0xFF, 0x42]) == "A\u{FFFD}B")
    #expect(Charset.utf8.decode([0xEF, 0xBB, 0xBF, 0x41]) == "A")
  }
}
