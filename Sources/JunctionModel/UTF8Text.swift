/// Bytes to text, strictly: nil unless they are valid UTF-8.
///
/// `String(validating:as:)` does the same, but the standard library runs it unspecialised and
/// instantiates generic metadata on every call (a tenth of journal replay, where every JSON
/// string went through it). `String(decoding:as:)` is specialised and repairs bad sequences
/// with U+FFFD, so valid input is exactly the input that comes back byte for byte.
public enum UTF8Text {
  /// `raw` as a String, nil when it is not valid UTF-8. `knownASCII`: the caller saw no byte
  /// at or above 0x80, so there is nothing to check.
  public static func string(_ raw: UnsafeRawBufferPointer, knownASCII: Bool = false) -> String? {
    let text = String(decoding: raw, as: UTF8.self)
    if knownASCII { return text }
    var copy = text
    return copy.withUTF8 { $0.count == raw.count && sameBytes(UnsafeRawBufferPointer($0), raw) }
      ? text : nil
  }

  /// Whether two buffers of one length hold the same bytes, compared eight at a time (the
  /// generic `elementsEqual` went byte by byte: more than the decoding itself).
  public static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard let left = a.baseAddress, let right = b.baseAddress else { return a.count == b.count }
    var index = 0
    while index + 8 <= a.count {
      if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      {
        return false
      }
      index += 8
    }
    while index < a.count {
      if a[index] != b[index] { return false }
      index += 1
    }
    return true
  }

  /// `bytes` as a String, nil when they are not valid UTF-8.
  public static func string<Bytes: Collection>(_ bytes: Bytes) -> String?
  where Bytes.Element == UInt8 {
    if let text = bytes.withContiguousStorageIfAvailable({ string(UnsafeRawBufferPointer($0)) }) {
      return text
    }
    return Array(bytes).withUnsafeBytes { string($0) }
  }
}
