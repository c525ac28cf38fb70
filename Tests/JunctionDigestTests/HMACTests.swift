import JunctionDigest
import Testing

private func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

/// RFC 4231 test cases for HMAC-SHA256 and HMAC-SHA512.
struct RFC4231Case: Sendable, CustomTestStringConvertible {
  let name: String
  let key: [UInt8]
  let data: [UInt8]
  let sha256: String
  let sha512: String
  var truncate = 0
  var testDescription: String { name }
}

@Suite struct HMACTests {
  static let cases: [RFC4231Case] = [
    RFC4231Case(
      name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
      sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      sha512:
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
    ),
    RFC4231Case(
      name: "case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
      sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      sha512:
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    ),
    RFC4231Case(
      name: "case 3", key: [UInt8](repeating: 0xaa, count: 20),
      data: [UInt8](repeating: 0xdd, count: 50),
      sha256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
      sha512:
        "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"
    ),
    RFC4231Case(
      name: "case 4", key: bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
      data: [UInt8](repeating: 0xcd, count: 50),
      sha256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
      sha512:
        "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"
    ),
    RFC4231Case(
      name: "case 5 (truncated to 128 bits)", key: [UInt8](repeating: 0x0c, count: 20),
      data: Array("Test With Truncation".utf8),
      sha256: "a3b6167473100ee06e0c796c2955552b", sha512: "415fad6271580a531d4179bc891d87a6",
      truncate: 16),
    RFC4231Case(
      name: "case 6 (key longer than a block)", key: [UInt8](repeating: 0xaa, count: 131),
      data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      sha512:
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"
    ),
    RFC4231Case(
      name: "case 7 (long key and data)", key: [UInt8](repeating: 0xaa, count: 131),
      data: Array(
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
          .utf8),
      sha256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
      sha512:
        "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"
    ),
  ]

  @Test(arguments: cases)
  func rfc4231(_ vector: RFC4231Case) {
    let sha256 = HMAC<SHA256>.authenticationCode(key: vector.key, message: vector.data)
    let sha512 = HMAC<SHA512>.authenticationCode(key: vector.key, message: vector.data)
    let length256 = vector.truncate > 0 ? vector.truncate : 32
    let length512 = vector.truncate > 0 ? vector.truncate : 64
    #expect(Hex.encode(sha256.prefix(length256)) == vector.sha256)
    #expect(Hex.encode(sha512.prefix(length512)) == vector.sha512)
  }

  /// RFC 2202 for HMAC-SHA1 and HMAC-MD5.
  @Test func rfc2202() {
    #expect(
      Hex.encode(
        HMAC<SHA1>.authenticationCode(
          key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
        == "b617318655057264e28bc0b6fb378c8ef146be00")
    #expect(
      Hex.encode(
        HMAC<SHA1>.authenticationCode(
          key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    #expect(
      Hex.encode(
        HMAC<SHA1>.authenticationCode(
          key: [UInt8](repeating: 0xaa, count: 80),
          message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
        == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    #expect(
      Hex.encode(
        HMAC<MD5>.authenticationCode(
          key: [UInt8](repeating: 0x0b, count: 16), message: Array("Hi There".utf8)))
        == "9294727a3638bb1c13f48ef8158bfc9d")
    #expect(
      Hex.encode(
        HMAC<MD5>.authenticationCode(
          key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        == "750c783e6ab0b503eaa86e310a5db738")
  }

  @Test func preparedKeyGivesTheSameMacAsRawKey() {
    let key = HMAC<SHA256>.Key(Array("secret".utf8))
    for message in ["", "a", String(repeating: "x", count: 1000)] {
      var prepared = HMAC<SHA256>(key: key)
      prepared.update(Array(message.utf8))
      #expect(
        prepared.finalize()
          == HMAC<SHA256>.authenticationCode(
            key: Array("secret".utf8), message: Array(message.utf8)))
    }
  }

  /// Meta signs the raw body, which escapes non-ASCII as \uXXXX: only those exact bytes verify.
  @Test func metaSignatureVerifiesOnlyTheRawEscapedBytes() {
    let secret = Array("app-secret".utf8)
    let raw = Array(#"{"text":"\u0431\u043e\u0442"}"#.utf8)
    let reserialised = Array(#"{"text":"бот"}"#.utf8)
    let header = "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(key: secret, message: raw))
    let expectedRaw =
      "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(key: secret, message: raw))
    let expectedReserialised =
      "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(key: secret, message: reserialised))
    #expect(constantTimeEquals(Array(header.utf8), Array(expectedRaw.utf8)))
    #expect(!constantTimeEquals(Array(header.utf8), Array(expectedReserialised.utf8)))
  }

  @Test func constantTimeEqualsComparesLengthAndContent() {
    #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
    #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
    #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
    #expect(constantTimeEquals([UInt8](), [UInt8]()))
  }
}
