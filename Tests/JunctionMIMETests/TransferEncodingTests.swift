import Testing

@testable import JunctionMIME

@Suite("Base64 and quoted-printable")
struct TransferEncodingTests {
  /// RFC 4648 §10 test vectors.
  @Test(arguments: [
    ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
    ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
  ])
  func base64Vectors(_ plain: String, _ encoded: String) {
    #expect(Base64.encode(Array(plain.utf8)[...]) == Array(encoded.utf8))
    let decoded = Base64.decode(Array(encoded.utf8)[...])
    #expect(decoded.bytes == Array(plain.utf8) && decoded.clean)
  }

  @Test func base64Tolerance() {
    #expect(Base64.decode(Array("Zm9v\r\nYm\r\nFy".utf8)[...]).bytes == Array("foobar".utf8))
    #expect(Base64.decode(Array("Zm9vYmE".utf8)[...]).bytes == Array("fooba".utf8), "no padding")
    #expect(Base64.decode(Array("Zg==Zm8=".utf8)[...]).bytes == Array("ffo".utf8), "padded chunks")
    let garbage = Base64.decode(Array("Zm9v!!*Ym Fy\u{7}".utf8)[...])
    #expect(garbage.bytes == Array("foobar".utf8) && !garbage.clean)
    #expect(!Base64.decode(Array("Zm9vY".utf8)[...]).clean, "a dangling character")
  }

  @Test func base64WrapsAt76() {
    var generator = SeededGenerator(seed: 1)
    let data = (0..<1000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let encoded = Base64.encode(data[...], lineLength: 76)
    let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
    #expect(lines.dropLast().allSatisfy { $0.count == 76 } && lines.last!.count <= 76)
    #expect(Base64.decode(encoded[...]).bytes == data)
  }

  /// RFC 2045 §6.7 rules.
  @Test func quotedPrintableDecoding() {
    func decode(_ text: String) -> String {
      String(decoding: QuotedPrintable.decode(Array(text.utf8)[...]), as: UTF8.self)
    }
    #expect(decode("caf=C3=A9") == "café")
    #expect(decode("caf=c3=a9") == "café", "lowercase hex")
    #expect(decode("soft =\r\nbreak") == "soft break")
    #expect(decode("soft =\nbreak") == "soft break")
    #expect(decode("soft =  \r\nbreak") == "soft break", "whitespace after a soft break")
    #expect(decode("trailing   \r\nnext") == "trailing\r\nnext", "trailing whitespace dropped")
    #expect(decode("kept=20\r\n") == "kept \r\n")
    #expect(decode("a=3Db") == "a=b")
    #expect(decode("bad =ZZ escape =") == "bad =ZZ escape ")
    #expect(decode("end=4") == "end=4")
  }

  @Test func quotedPrintableEncoding() {
    var generator = SeededGenerator(seed: 2)
    for length in [0, 1, 75, 76, 77, 500] {
      let text = (0..<length).map { _ -> UInt8 in
        let pick = generator.next() % 10
        return pick == 0
          ? 0x0A : pick == 1 ? 0x20 : pick == 2 ? 0x3D : UInt8(truncatingIfNeeded: generator.next())
      }
      let encoded = QuotedPrintable.encode(text)
      let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
      #expect(lines.allSatisfy { $0.utf8.count <= 76 })
      #expect(
        encoded.allSatisfy { $0 < 0x7F && ($0 >= 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A) })
      let expected = QuotedPrintable.crlf(text.map { $0 == 0x0D ? 0x0D : $0 })
      #expect(QuotedPrintable.decode(encoded[...]) == expected)
    }
  }

  @Test func qEncoding() {
    #expect(QuotedPrintable.decodeQ(Array("a_b=3F=c3=a9".utf8)[...]) == Array("a b?é".utf8))
  }
}
