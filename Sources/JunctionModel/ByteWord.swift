/// Tests on eight bytes at once, loaded as one little-endian word (SWAR), for the parsers'
/// and writers' scans over text that rarely holds what they look for.
///
/// Each test may say yes for a byte next to a real match (a borrow runs into the byte above),
/// never no when a byte matches: a caller skips eight bytes on no and looks at them one by one
/// on yes.
public enum ByteWord {
  @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
  @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Whether any byte of `word` may equal `byte`.
  @inlinable @inline(__always)
  public static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (ones &* UInt64(byte))
    return (x &- ones) & ~x & highs != 0
  }

  /// Whether any byte of `word` may be below `bound` (at most 0x80).
  @inlinable @inline(__always)
  public static func containsBelow(_ word: UInt64, _ bound: UInt8) -> Bool {
    (word &- ones &* UInt64(bound)) & ~word & highs != 0
  }

  /// Whether any byte of `word` is at or above 0x80 (exact).
  @inlinable @inline(__always)
  public static func containsNonASCII(_ word: UInt64) -> Bool { word & highs != 0 }

  /// The word at `offset` of `base`.
  @inlinable @inline(__always)
  public static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    (base + offset).loadUnaligned(as: UInt64.self)
  }
}
