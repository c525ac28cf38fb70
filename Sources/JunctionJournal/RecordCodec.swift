import JunctionDigest

/// Encodes and checks the byte layouts of FORMAT.md (segment headers and records). Pure.
enum RecordCodec {
  static let segmentMagic = Array("JNCSEG01".utf8)
  static let formatVersion: UInt32 = 1
  static let segmentHeaderSize = 32
  static let recordHeaderSize = 24
  static let kindEntry: UInt8 = 1

  /// Bytes a record occupies on disk, padding included.
  static func encodedSize(streams: [String], payloadCount: Int) -> Int {
    let body = streams.reduce(0) { $0 + 2 + $1.utf8.count } + payloadCount
    return padded(recordHeaderSize + body)
  }

  @inline(__always) static func padded(_ size: Int) -> Int { (size + 7) & ~7 }

  static func segmentHeader(firstSequence: UInt64) -> [UInt8] {
    var header = segmentMagic
    header.append(littleEndian: formatVersion)
    header.append(littleEndian: UInt32(segmentHeaderSize))
    header.append(littleEndian: firstSequence)
    header.append(littleEndian: UInt32(0))
    header.append(littleEndian: CRC32C.checksum(header))
    return header
  }

  /// The first sequence a segment header declares, nil when the header is invalid.
  static func parseSegmentHeader(_ bytes: [UInt8]) -> UInt64? {
    guard bytes.count >= segmentHeaderSize, Array(bytes[0..<8]) == segmentMagic,
      bytes.load(UInt32.self, at: 8) == formatVersion,
      bytes.load(UInt32.self, at: 12) == UInt32(segmentHeaderSize),
      bytes.load(UInt32.self, at: 28) == CRC32C.checksum(bytes[0..<28])
    else { return nil }
    return bytes.load(UInt64.self, at: 16)
  }

  /// Appends one record to `out`.
  static func encode(sequence: UInt64, streams: [String], payload: [UInt8], into out: inout [UInt8])
  {
    let start = out.count
    let streamBytes = streams.reduce(0) { $0 + 2 + $1.utf8.count }
    let bodyLength = UInt32(streamBytes + payload.count)
    out.append(littleEndian: bodyLength)
    out.append(littleEndian: UInt32(0))  // CRC, filled below
    out.append(littleEndian: sequence)
    out.append(littleEndian: UInt16(streams.count))
    out.append(0)  // flags
    out.append(kindEntry)
    out.append(littleEndian: UInt32(payload.count))
    for stream in streams {
      out.append(littleEndian: UInt16(stream.utf8.count))
      out.append(contentsOf: stream.utf8)
    }
    out.append(contentsOf: payload)
    let crc = out.withUnsafeBytes { raw -> UInt32 in
      let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[start..<(start + 4)]))
      return CRC32C.checksum(
        UnsafeRawBufferPointer(rebasing: raw[(start + 8)...]), continuing: first)
    }
    out.withUnsafeMutableBytes {
      $0.storeBytes(of: crc.littleEndian, toByteOffset: start + 4, as: UInt32.self)
    }
    let padding = padded(out.count - start) - (out.count - start)
    if padding > 0 { out.append(contentsOf: repeatElement(0, count: padding)) }
  }

  /// What is at a record offset.
  enum Decoded {
    /// A valid record and its size on disk (padding included).
    case record(sequence: UInt64, streams: [String], payload: [UInt8], size: Int)
    /// Fewer bytes than a record header, or a record that runs past the end.
    case incomplete
    /// Bytes are there but fail a check.
    case invalid(String)
  }

  /// Decodes the record at `offset` of `bytes`.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, maxRecordBytes: Int, wantPayload: Bool = true
  ) -> Decoded {
    guard bytes.count - offset >= recordHeaderSize else { return .incomplete }
    let bodyLength = Int(bytes.load(UInt32.self, at: offset))
    guard bodyLength <= maxRecordBytes else {
      return .invalid("record length \(bodyLength) exceeds the limit")
    }
    let size = padded(recordHeaderSize + bodyLength)
    guard bytes.count - offset >= size else { return .incomplete }
    let storedCRC = bytes.load(UInt32.self, at: offset + 4)
    let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 4)]))
    let crc = CRC32C.checksum(
      UnsafeRawBufferPointer(
        rebasing: bytes[(offset + 8)..<(offset + recordHeaderSize + bodyLength)]),
      continuing: first)
    guard crc == storedCRC else { return .invalid("checksum mismatch") }
    for index in (offset + recordHeaderSize + bodyLength)..<(offset + size) where bytes[index] != 0
    {
      return .invalid("non-zero padding")
    }
    let sequence = bytes.load(UInt64.self, at: offset + 8)
    let streamCount = Int(bytes.load(UInt16.self, at: offset + 16))
    guard bytes[offset + 19] == kindEntry else {
      return .invalid("unknown record kind \(bytes[offset + 19])")
    }
    let payloadLength = Int(bytes.load(UInt32.self, at: offset + 20))
    var cursor = offset + recordHeaderSize
    let end = cursor + bodyLength
    var streams: [String] = []
    streams.reserveCapacity(streamCount)
    for _ in 0..<streamCount {
      guard end - cursor >= 2 else { return .invalid("stream table overruns the record") }
      let length = Int(bytes.load(UInt16.self, at: cursor))
      cursor += 2
      guard end - cursor >= length else { return .invalid("stream key overruns the record") }
      streams.append(
        String(
          decoding: UnsafeRawBufferPointer(rebasing: bytes[cursor..<(cursor + length)]),
          as: UTF8.self))
      cursor += length
    }
    guard end - cursor == payloadLength else {
      return .invalid("payload length does not match the record")
    }
    let payload = wantPayload ? [UInt8](UnsafeRawBufferPointer(rebasing: bytes[cursor..<end])) : []
    return .record(sequence: sequence, streams: streams, payload: payload, size: size)
  }
}

extension Array where Element == UInt8 {
  mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }

  func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
    withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
  }
}

extension UnsafeRawBufferPointer {
  func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
    T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
