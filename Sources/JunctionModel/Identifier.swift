import Foundation
import Synchronization

/// Makes the ids Junction gives to messages, conversations, contacts and events:
/// a prefix, an underscore and 26 Crockford base32 characters (48 bits of milliseconds then
/// 80 random bits, as in ULID), so ids sort roughly by creation time and never collide in
/// practice (`msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE`).
public enum Identifier {
  private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
  /// A SplitMix64 stream shared by every thread without a lock: each id takes the next two
  /// counter values (one atomic add) and mixes them. The mix is a bijection, so ids made by one
  /// process differ in their low 64 bits; the start is random, so processes differ too.
  private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))
  private static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// A new id with `prefix` (`"msg"`, `"conv"`, `"ct"`, `"evt"`).
  public static func make(_ prefix: String, at date: Date = Date()) -> String {
    let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
    let base = counter.wrappingAdd(2 &* gamma, ordering: .relaxed).oldValue
    let high = mix(base &+ gamma)
    let low = mix(base &+ 2 &* gamma)
    // 128 bits: 48 time bits, then 80 random bits.
    let top = (millis << 16) | (high & 0xFFFF)
    let bottom = low
    let prefixBytes = prefix.utf8.count
    // Written straight into the string's storage (an array grown byte by byte cost more than
    // the rest of the id).
    return String(unsafeUninitializedCapacity: prefixBytes + 27) { out in
      var position = 0
      for byte in prefix.utf8 {
        out[position] = byte
        position += 1
      }
      out[position] = UInt8(ascii: "_")
      position += 1
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
        out[position] = alphabet[Int(value)]
        position += 1
      }
      return position
    }
  }

  /// SplitMix64's output function (Steele, Lea and Flood 2014): a bijection of 64-bit values.
  @inline(__always)
  private static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
