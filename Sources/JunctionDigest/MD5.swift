import Foundation

/// MD5 (RFC 1321). Broken for security; only for protocols that still require it (Vonage
/// `md5hash` and `md5` signature methods).
public struct MD5: HashFunction {
  public static let blockSize = 64
  public static let digestSize = 16

  var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
  var buffer = BlockBuffer(blockSize: 64)

  public init() {}

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var state = self.state
    buffer.feed(bytes) { Self.compress(&state, $0) }
    self.state = state
  }

  public func finalize() -> [UInt8] {
    var state = self.state
    buffer.finish(lengthBytes: 8, bigEndian: false) { Self.compress(&state, $0) }
    return [state.0, state.1, state.2, state.3].flatMap { word in
      (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) }
    }
  }

  static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20,
    5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10,
    15,
    21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]
  static let table: [UInt32] = (0..<64).map { index in
    UInt32(truncatingIfNeeded: Int64(abs(sin(Double(index + 1))) * 4_294_967_296))
  }

  static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer) {
    var m = [UInt32](repeating: 0, count: 16)
    for index in 0..<16 {
      m[index] = UInt32(
        littleEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    }
    var (a, b, c, d) = state
    for index in 0..<64 {
      var f: UInt32
      let g: Int
      switch index {
      case 0..<16: (f, g) = ((b & c) | (~b & d), index)
      case 16..<32: (f, g) = ((d & b) | (~d & c), (5 * index + 1) % 16)
      case 32..<48: (f, g) = (b ^ c ^ d, (3 * index + 5) % 16)
      default: (f, g) = (c ^ (b | ~d), (7 * index) % 16)
      }
      f = f &+ a &+ table[index] &+ m[g]
      a = d
      d = c
      c = b
      b = b &+ ((f << shifts[index]) | (f >> (32 - shifts[index])))
    }
    state.0 &+= a
    state.1 &+= b
    state.2 &+= c
    state.3 &+= d
  }
}
