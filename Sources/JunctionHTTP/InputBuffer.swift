import JunctionModel

/// Bytes received on a connection and not yet parsed.
public struct InputBuffer: Sendable {
  var storage: [UInt8] = []
  var start = 0

  public init() {}

  /// Unparsed byte count.
  public var readable: Int { storage.count - start }

  /// Appends received bytes.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    compactIfWorthIt()
    storage.append(contentsOf: bytes)
  }

  /// Appends received bytes.
  public mutating func append(_ bytes: [UInt8]) {
    compactIfWorthIt()
    storage.append(contentsOf: bytes)
  }

  mutating func compactIfWorthIt() {
    if start > 0 && (start == storage.count || start > 4096) {
      storage.removeFirst(start)
      start = 0
    }
  }

  func byte(_ offset: Int) -> UInt8 { storage[start + offset] }

  mutating func consume(_ count: Int) { start += count }

  mutating func take(_ count: Int, into out: inout [UInt8]) {
    out.append(contentsOf: storage[start..<(start + count)])
    start += count
  }

  func withReadable<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start...])) }
  }

  /// Offset just past the first `\r\n\r\n` at or after `from`, nil when absent.
  func find(crlfcrlf from: Int) -> Int? {
    withReadable { bytes in
      var index = from
      while index + 3 < bytes.count {
        // Eight bytes without a line feed: no match starts in their first seven (a match has
        // line feeds at its second and fourth byte).
        if index + 8 <= bytes.count, let base = bytes.baseAddress,
          !ByteWord.contains(ByteWord.load(base, index), 10)
        {
          index += 7
          continue
        }
        if bytes[index + 3] == 10 && bytes[index + 2] == 13 && bytes[index + 1] == 10
          && bytes[index] == 13
        {
          return index + 4
        }
        index += 1
      }
      return nil
    }
  }

  /// Offset of the first `\r\n` at or after `from`, nil when absent.
  func find(crlf from: Int) -> Int? {
    withReadable { bytes in
      var index = from
      while index + 1 < bytes.count {
        if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
        index += 1
      }
      return nil
    }
  }
}
