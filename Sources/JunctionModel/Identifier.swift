import Foundation
import Synchronization

/// Makes the ids Junction gives to messages, conversations, contacts and events:
/// a prefix, an underscore and 26 Crockford base32 characters (48 bits of milliseconds then
/// 80 random bits, as in ULID), so ids sort roughly by creation time and never collide in
/// practice (`msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE`).
public enum Identifier {
  private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
  private static let generator = Mutex(Xoshiro256(seed: SystemRandomNumberGenerator()))

  /// A new id with `prefix` (`"msg"`, `"conv"`, `"ct"`, `"evt"`).
  public static func make(_ prefix: String, at date: Date = Date()) -> String {
    let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
    let (high, low) = generator.withLock { ($0.next(), $0.next()) }
    // 128 bits: 48 time bits, then 80 random bits.
    let top = (millis << 16) | (high & 0xFFFF)
    let bottom = low
    var out = [UInt8](prefix.utf8)
    out.append(UInt8(ascii: "_"))
    // 26 characters * 5 bits = 130 bits; the first character carries the top 3 bits.
    for index in 0..<26 {
      let shift = 125 - index * 5
      let value: UInt64
      if shift >= 64 {
        value = (top >> UInt64(shift - 64)) & 0x1F
      } else if shift > 59 {
        let fromTop = (top << UInt64(64 - shift)) & 0x1F
        value = (fromTop | (bottom >> UInt64(shift))) & 0x1F
      } else {
        value = (bottom >> UInt64(shift)) & 0x1F
      }
      out.append(alphabet[Int(value)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// xoshiro256** — a small, fast generator for ids (not for secrets; secrets use the system
/// generator through JunctionDigest).
struct Xoshiro256: RandomNumberGenerator {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  init(seed: some RandomNumberGenerator) {
    var source = seed
    state = (source.next(), source.next(), source.next(), source.next())
    if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
  }

  mutating func next() -> UInt64 {
    let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
    let shifted = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= shifted
    state.3 = state.3 << 45 | state.3 >> 19
    return result
  }
}
