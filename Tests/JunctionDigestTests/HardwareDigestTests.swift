import Testing

@testable import JunctionDigest

/// The hardware paths (SHA extensions, SSE4.2 CRC32) against the portable Swift code, on
/// random input: the published vectors in the other suites go through whichever path this CPU
/// takes, so these tests make each path answer for the other.
@Suite struct HardwareDigestTests {
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
    mutating func bytes(_ count: Int) -> [UInt8] {
      (0..<count).map { _ in UInt8(truncatingIfNeeded: next() >> 24) }
    }
  }

  @Test(.enabled(if: SHA256.hardware, "this CPU has no SHA extensions"))
  func sha256CompressionMatchesPortableCode() {
    var random = Random(state: 0x5EED)
    for _ in 0..<2000 {
      let block = random.bytes(64)
      let words = (0..<8).map { _ in UInt32(truncatingIfNeeded: random.next() >> 16) }
      var portable = (
        words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7]
      )
      var hardware = portable
      block.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        SHA256.compress(&portable, base)
        SHA256.hardwareCompress(&hardware, base)
      }
      #expect(
        withUnsafeBytes(of: portable, Array.init) == withUnsafeBytes(of: hardware, Array.init))
    }
  }

  @Test(.enabled(if: SHA256.hardware, "this CPU has no SHA extensions"))
  func sha256HardwarePathGivesPublishedDigest() {
    // FIPS 180-4 example "abc" and the 448-bit two-block message, through the public API.
    #expect(
      SHA256.hash(Array("abc".utf8)).hex
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hex
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test(.enabled(if: CRC32C.hardware, "this CPU has no SSE4.2"))
  func crc32cInstructionMatchesTables() {
    var random = Random(state: 0xC4C)
    for length in 0..<200 {
      let bytes = random.bytes(length + 3)
      let start = UInt32(truncatingIfNeeded: random.next())
      bytes.withUnsafeBytes { raw in
        // Every alignment of the start, every tail length.
        for offset in 0..<3 {
          let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
          #expect(CRC32C.update(start, slice) == CRC32C.portableUpdate(start, slice))
        }
      }
    }
  }
}

extension [UInt8] {
  fileprivate var hex: String {
    map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
