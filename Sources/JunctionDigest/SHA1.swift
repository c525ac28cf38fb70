/// SHA-1 (FIPS 180-4). Only for protocols that require it (Twilio signatures).
public struct SHA1: HashFunction {
  public static let blockSize = 64
  public static let digestSize = 20

  var state: (UInt32, UInt32, UInt32, UInt32, UInt32) =
    (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
  var buffer = BlockBuffer(blockSize: 64)

  public init() {}

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var state = self.state
    buffer.feed(bytes) { Self.compress(&state, $0) }
    self.state = state
  }

  public func finalize() -> [UInt8] {
    var state = self.state
    buffer.finish(lengthBytes: 8, bigEndian: true) { Self.compress(&state, $0) }
    return [state.0, state.1, state.2, state.3, state.4].flatMap(bigEndianBytes)
  }

  static func compress(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer
  ) {
    var w = [UInt32](repeating: 0, count: 80)
    for index in 0..<16 {
      w[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    }
    for index in 16..<80 {
      let x = w[index - 3] ^ w[index - 8] ^ w[index - 14] ^ w[index - 16]
      w[index] = (x << 1) | (x >> 31)
    }
    var (a, b, c, d, e) = state
    for index in 0..<80 {
      let f: UInt32
      let k: UInt32
      switch index {
      case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
      case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
      case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
      default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
      }
      let temp = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[index]
      e = d
      d = c
      c = (b << 30) | (b >> 2)
      b = a
      a = temp
    }
    state.0 &+= a
    state.1 &+= b
    state.2 &+= c
    state.3 &+= d
    state.4 &+= e
  }
}

@inline(__always)
func bigEndianBytes(_ word: UInt32) -> [UInt8] {
  [
    UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
    UInt8(truncatingIfNeeded: word),
  ]
}
