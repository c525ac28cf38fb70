/// Writes Junction's compact binary encoding (state snapshots): unsigned integers as LEB128
/// varints, signed ones zigzag-encoded first, strings as a varint byte count and their UTF-8,
/// optional values behind a presence marker. ``BinaryReader`` reads it back.
public struct BinaryWriter: Sendable {
  /// The bytes written so far.
  public var bytes: [UInt8]

  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// Appends raw bytes (a magic number, a header).
  public mutating func raw(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

  /// An unsigned integer as a LEB128 varint (1 byte below 128, at most 10).
  @inlinable
  public mutating func uint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(truncatingIfNeeded: value))
  }

  /// A signed integer, zigzag-encoded (small magnitudes stay short), as a varint.
  @inlinable
  public mutating func int(_ value: Int64) {
    uint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  /// A signed integer (``int(_:)-(Int64)``).
  @inlinable
  public mutating func int(_ value: Int) { int(Int64(value)) }

  /// An optional integer: 0 for nil, else 1 and the value.
  public mutating func int(_ value: Int?) {
    guard let value else { return bytes.append(0) }
    bytes.append(1)
    int(Int64(value))
  }

  /// A boolean as one byte, 0 or 1.
  public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  /// A string: its UTF-8 byte count as a varint, then the bytes.
  public mutating func string(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      uint(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  /// An optional string: the byte count plus one as a varint (0 for nil), then the bytes.
  public mutating func string(_ value: String?) {
    guard var value else { return bytes.append(0) }
    value.withUTF8 { utf8 in
      uint(UInt64(utf8.count) + 1)
      bytes.append(contentsOf: utf8)
    }
  }

  /// An array of strings: the count, then each string.
  public mutating func strings(_ values: [String]) {
    uint(UInt64(values.count))
    for value in values { string(value) }
  }

  /// A timestamp (milliseconds, signed varint).
  public mutating func timestamp(_ value: Timestamp) { int(value.millis) }

  /// An optional timestamp: 0 for nil, else 1 and the milliseconds.
  public mutating func timestamp(_ value: Timestamp?) {
    guard let value else { return bytes.append(0) }
    bytes.append(1)
    int(value.millis)
  }

  /// A JSON value as its compact text (a string); for rare, free-form values.
  public mutating func json(_ value: JSON) {
    var writer = JSONWriter()
    writer.write(value)
    uint(UInt64(writer.bytes.count))
    bytes.append(contentsOf: writer.bytes)
  }

  /// Starts a length-prefixed section (an 8-byte little-endian length, patched by
  /// ``endSection(_:)``); returns where it starts.
  public mutating func beginSection() -> Int {
    bytes.append(contentsOf: repeatElement(0, count: 8))
    return bytes.count
  }

  /// Ends the section begun at `start`, writing its length.
  public mutating func endSection(_ start: Int) {
    var length = UInt64(bytes.count - start).littleEndian
    for index in 0..<8 {
      bytes[start - 8 + index] = UInt8(truncatingIfNeeded: length)
      length >>= 8
    }
  }
}
