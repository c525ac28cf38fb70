import JunctionDigest
import Testing

@Suite struct EncodingTests {
  /// RFC 4648 section 10.
  @Test func base64PublishedVectors() {
    let vectors = [
      ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]
    for (plain, encoded) in vectors {
      #expect(Base64.encode(Array(plain.utf8)) == encoded)
      #expect(Base64.decode(encoded) == Array(plain.utf8))
      #expect(Base64.decode(encoded.replacingOccurrences(of: "=", with: "")) == Array(plain.utf8))
    }
  }

  @Test func urlSafeAlphabet() {
    let bytes: [UInt8] = [0xfb, 0xff, 0xbf]
    #expect(Base64.encode(bytes) == "+/+/")
    #expect(Base64.encode(bytes, urlSafe: true, padding: false) == "-_-_")
    #expect(Base64.decode("-_-_", urlSafe: true) == bytes)
    #expect(Base64.decode("-_-_") == nil)
  }

  @Test(arguments: ["Zg=", "Z", "Zm9v!", "Zm 9v", "Zh==", "====", "Zm9vYg==="])
  func base64RejectsMalformedText(_ text: String) {
    #expect(Base64.decode(text) == nil)
  }

  @Test func base64RoundTripsEveryLength() {
    for length in 0..<70 {
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      #expect(Base64.decode(Base64.encode(bytes)) == bytes)
      #expect(
        Base64.decode(Base64.encode(bytes, urlSafe: true, padding: false), urlSafe: true) == bytes)
    }
  }

  @Test func hex() {
    #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
    #expect(Hex.encode([0xab], uppercase: true) == "AB")
    #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("zz") == nil)
  }

  @Test func secureRandomGivesDistinctBytes() {
    #expect(SecureRandom.bytes(33).count == 33)
    #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
  }
}
