import CDigestAcceleration

/// SHA-256 (FIPS 180-4).
///
/// Compresses with the CPU's SHA extensions when it has them (x86-64, checked once with CPUID;
/// about ten times the portable code's speed), else with portable Swift. Both give the same
/// digests; the tests hold them to each other and to the published vectors.
public struct SHA256: HashFunction {
  public static let blockSize = 64
  public static let digestSize = 32

  @usableFromInline var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
    (
      0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
      0x5be0_cd19
    )
  @usableFromInline var buffer = BlockBuffer(blockSize: 64)

  public init() {}

  /// The state after some whole blocks, for HMAC's precomputed keys.
  init(state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), blocks: UInt64) {
    self.state = state
    buffer.count = blocks * 64
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var state = self.state
    buffer.feed(bytes) { Self.compressBlock(&state, $0) }
    self.state = state
  }

  public func finalize() -> [UInt8] {
    var state = self.state
    buffer.finish(lengthBytes: 8, bigEndian: true) { Self.compressBlock(&state, $0) }
    var out = [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: state) { words in
      for index in 0..<8 {
        let word = words.load(fromByteOffset: index * 4, as: UInt32.self)
        out[index * 4] = UInt8(word >> 24)
        out[index * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
        out[index * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
        out[index * 4 + 3] = UInt8(truncatingIfNeeded: word)
      }
    }
    return out
  }

  /// The raw state (for HMAC key precomputation).
  var rawState: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) { state }

  @usableFromInline static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7,
    0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc,
    0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351,
    0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e,
    0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585,
    0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f,
    0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  @inline(__always) @usableFromInline
  /// Whether this CPU has the SHA extensions (decided once per process).
  static let hardware = junction_sha256_hardware_available() != 0

  /// One block, through the SHA extensions when the CPU has them, else the portable code.
  static func compressBlock(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
    _ block: UnsafeRawPointer
  ) {
    if hardware { hardwareCompress(&state, block) } else { compress(&state, block) }
  }

  /// One block through the SHA extensions (only when ``hardware``).
  static func hardwareCompress(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
    _ block: UnsafeRawPointer
  ) {
    withUnsafeMutableBytes(of: &state) { words in
      guard let base = words.baseAddress else { return }
      junction_sha256_hardware_compress(
        base.assumingMemoryBound(to: UInt32.self), block.assumingMemoryBound(to: UInt8.self), 1)
    }
  }

  static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

  @usableFromInline
  static func compress(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
    _ block: UnsafeRawPointer
  ) {
    var w = (
      UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
      UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
    )
    withUnsafeMutableBytes(of: &w) { schedule in
      let words = schedule.bindMemory(to: UInt32.self)
      for index in 0..<16 {
        words[index] = UInt32(
          bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
      }
      var (a, b, c, d, e, f, g, h) = state
      k.withUnsafeBufferPointer { k in
        for round in 0..<64 {
          let slot = round & 15
          if round >= 16 {
            let w15 = words[(round - 15) & 15]
            let w2 = words[(round - 2) & 15]
            let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)
            let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)
            words[slot] = words[slot] &+ s0 &+ words[(round - 7) & 15] &+ s1
          }
          let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
          let choice = (e & f) ^ (~e & g)
          let temp1 = h &+ s1 &+ choice &+ k[round] &+ words[slot]
          let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
          let majority = (a & b) ^ (a & c) ^ (b & c)
          let temp2 = s0 &+ majority
          h = g
          g = f
          f = e
          e = d &+ temp1
          d = c
          c = b
          b = a
          a = temp1 &+ temp2
        }
      }
      state.0 &+= a
      state.1 &+= b
      state.2 &+= c
      state.3 &+= d
      state.4 &+= e
      state.5 &+= f
      state.6 &+= g
      state.7 &+= h
    }
  }
}
