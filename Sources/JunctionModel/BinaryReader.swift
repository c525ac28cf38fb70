/// Reads the encoding ``BinaryWriter`` writes, from memory the caller keeps alive (inside
/// `withUnsafeBytes`). Every read is bounds-checked: damaged input throws a ``FieldError``
/// naming the reader's path and offset, never traps.
public struct BinaryReader {
  @usableFromInline let base: UnsafeRawBufferPointer
  /// Where the next read starts.
  @usableFromInline var offset: Int
  /// Names the data in errors (`snapshot.contacts`).
  public let path: String

  public init(_ bytes: UnsafeRawBufferPointer, path: String) {
    base = bytes
    offset = 0
    self.path = path
  }

  /// Whether every byte has been read.
  public var isAtEnd: Bool { offset >= base.count }

  /// Bytes left to read.
  public var remaining: Int { base.count - offset }

  /// An error at the current offset.
  public func error(_ message: String) -> FieldError {
    FieldError(path: path, message: "\(message) at byte \(offset)")
  }

  /// Raw bytes (a magic number).
  public mutating func raw(count: Int) throws(FieldError) -> UnsafeRawBufferPointer {
    guard count >= 0, remaining >= count else { throw error("truncated") }
    defer { offset += count }
    return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
  }

  /// A LEB128 varint.
  @inlinable
  public mutating func uint() throws(FieldError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while offset < base.count {
      let byte = base[offset]
      offset += 1
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return result }
      shift += 7
      if shift > 63 { throw error("varint too long") }
    }
    throw error("truncated")
  }

  /// A count of items still to come, refused when the bytes left could not hold that many.
  public mutating func count() throws(FieldError) -> Int {
    let value = try uint()
    guard value <= UInt64(remaining) else { throw error("count \(value) exceeds the data") }
    return Int(value)
  }

  /// A zigzag-encoded signed varint.
  @inlinable
  public mutating func int() throws(FieldError) -> Int64 {
    let value = try uint()
    return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
  }

  /// A signed varint that must fit `Int`.
  public mutating func intValue() throws(FieldError) -> Int { Int(truncatingIfNeeded: try int()) }

  /// An optional integer (``BinaryWriter/int(_:)-(Int?)``).
  public mutating func optionalInt() throws(FieldError) -> Int? {
    try flag() ? try intValue() : nil
  }

  /// A presence marker or boolean: one byte, 0 or 1.
  public mutating func flag() throws(FieldError) -> Bool {
    guard offset < base.count else { throw error("truncated") }
    let byte = base[offset]
    guard byte <= 1 else { throw error("bad flag \(byte)") }
    offset += 1
    return byte == 1
  }

  /// A string.
  public mutating func string() throws(FieldError) -> String {
    try bytes(count: try uint())
  }

  /// An optional string.
  public mutating func optionalString() throws(FieldError) -> String? {
    let marker = try uint()
    return marker == 0 ? nil : try bytes(count: marker - 1)
  }

  /// An array of strings.
  public mutating func strings() throws(FieldError) -> [String] {
    let count = try count()
    var out: [String] = []
    out.reserveCapacity(count)
    for _ in 0..<count { out.append(try string()) }
    return out
  }

  /// A timestamp.
  public mutating func timestamp() throws(FieldError) -> Timestamp { Timestamp(millis: try int()) }

  /// An optional timestamp.
  public mutating func optionalTimestamp() throws(FieldError) -> Timestamp? {
    try flag() ? Timestamp(millis: try int()) : nil
  }

  /// A JSON value written by ``BinaryWriter/json(_:)``.
  public mutating func json() throws(FieldError) -> JSON {
    let length = try uint()
    guard length <= UInt64(remaining) else { throw error("truncated") }
    let text = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + Int(length))])
    do {
      let value = try JSONParser(maxDepth: 64, allowDuplicateKeys: true).parse(text)
      offset += Int(length)
      return value
    } catch {
      throw self.error("bad JSON: \(error)")
    }
  }

  /// A section written between ``BinaryWriter/beginSection()`` and `endSection`, as a reader
  /// of its own; this reader moves past it.
  public mutating func section(_ name: String) throws(FieldError) -> BinaryReader {
    let length = try raw(count: 8).loadUnaligned(as: UInt64.self).littleEndian
    guard length <= UInt64(remaining) else { throw error("section \(name) truncated") }
    let bytes = try raw(count: Int(length))
    return BinaryReader(bytes, path: path + "." + name)
  }

  private mutating func bytes(count: UInt64) throws(FieldError) -> String {
    guard count <= UInt64(remaining) else { throw error("string truncated") }
    let length = Int(count)
    guard length > 0, let start = base.baseAddress else { return "" }
    defer { offset += length }
    let utf8 = UnsafeBufferPointer(
      start: (start + offset).assumingMemoryBound(to: UInt8.self), count: length)
    return String(decoding: utf8, as: UTF8.self)
  }
}
