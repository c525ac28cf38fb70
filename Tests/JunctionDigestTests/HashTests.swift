import Foundation
import JunctionDigest
import Testing

private func hex<H: HashFunction>(_ type: H.Type, _ text: String) -> String {
  Hex.encode(H.hash(Array(text.utf8)))
}

@Suite struct HashTests {
  /// FIPS 180-4 examples (NIST "Example Algorithm" documents).
  @Test func sha256PublishedVectors() {
    #expect(
      hex(SHA256.self, "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      hex(SHA256.self, "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      hex(SHA256.self, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      hex(
        SHA256.self,
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      )
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    #expect(
      Hex.encode(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func sha1PublishedVectors() {
    #expect(hex(SHA1.self, "abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(
      hex(SHA1.self, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    #expect(hex(SHA1.self, "") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
  }

  @Test func sha512PublishedVectors() {
    #expect(
      hex(SHA512.self, "abc")
        == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    )
    #expect(
      hex(
        SHA512.self,
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      )
        == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
    )
  }

  /// RFC 1321, appendix A.5.
  @Test func md5PublishedVectors() {
    #expect(hex(MD5.self, "") == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(hex(MD5.self, "abc") == "900150983cd24fb0d6963f7d28e17f72")
    #expect(hex(MD5.self, "message digest") == "f96b697d7cb7938d525a2f31aaf161d0")
    #expect(
      hex(
        MD5.self, "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
      )
        == "57edf4a22be3c955ac49da2e2107b67a")
  }

  /// Every length 0…200 against Python's hashlib (vectors/hashlib.json, made by generate.py).
  @Test func everyLengthMatchesHashlib() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("vectors/hashlib.json")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    let lengths = try #require(object?["lengths"] as? [[String: String]])
    #expect(lengths.count == 201)
    for (length, expected) in lengths.enumerated() {
      let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
      #expect(Hex.encode(SHA256.hash(data)) == expected["sha256"], "sha256 length \(length)")
      #expect(Hex.encode(SHA1.hash(data)) == expected["sha1"], "sha1 length \(length)")
      #expect(Hex.encode(SHA512.hash(data)) == expected["sha512"], "sha512 length \(length)")
      #expect(Hex.encode(MD5.hash(data)) == expected["md5"], "md5 length \(length)")
    }
    let message = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    #expect(
      Hex.encode(
        HMAC<SHA256>.authenticationCode(key: Array("key-for-webhooks".utf8), message: message))
        == object?["hmac_sha256_600"] as? String)
  }

  @Test func incrementalUpdatesAtEverySplitEqualOneShot() {
    let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let whole256 = SHA256.hash(data)
    let whole512 = SHA512.hash(data)
    for cut in 0...data.count {
      var sha256 = SHA256()
      sha256.update(data[..<cut])
      sha256.update(data[cut...])
      #expect(sha256.finalize() == whole256)
      var sha512 = SHA512()
      sha512.update(data[..<cut])
      sha512.update(data[cut...])
      #expect(sha512.finalize() == whole512)
    }
  }
}
