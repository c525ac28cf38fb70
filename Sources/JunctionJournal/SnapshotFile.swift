import JunctionDigest
import JunctionModel

/// Where in the segments the record after a snapshot lies.
struct SegmentPosition: Sendable, Equatable {
  var segmentFirstSequence: UInt64
  var offset: Int64
}

/// A snapshot's contents (FORMAT.md, "Snapshot").
struct SnapshotFile: Sendable {
  static let magic = Array("JNCSNAP1".utf8)
  static let headerSize = 56

  var sequence: UInt64
  var position: SegmentPosition
  var versions: ShardedDictionary<UInt64>
  var appState: [UInt8]

  /// The file as three pieces to write one after the other: the header with the journal's
  /// state, then ``appState`` as it is (not copied: it can be gigabytes), then the CRC32C of
  /// both.
  func encodedPieces() -> (head: [UInt8], checksum: [UInt8]) {
    var journalState: [UInt8] = []
    journalState.append(littleEndian: UInt32(versions.count))
    for (stream, version) in versions {
      journalState.append(littleEndian: UInt16(stream.utf8.count))
      journalState.append(contentsOf: stream.utf8)
      journalState.append(littleEndian: version)
    }
    var out = Self.magic
    out.reserveCapacity(Self.headerSize + journalState.count)
    out.append(littleEndian: RecordCodec.formatVersion)
    out.append(littleEndian: UInt32(0))
    out.append(littleEndian: sequence)
    out.append(littleEndian: position.segmentFirstSequence)
    out.append(littleEndian: UInt64(position.offset))
    out.append(littleEndian: UInt64(journalState.count))
    out.append(littleEndian: UInt64(appState.count))
    out += journalState
    var checksum: [UInt8] = []
    checksum.append(littleEndian: CRC32C.checksum(appState, continuing: CRC32C.checksum(out)))
    return (out, checksum)
  }

  /// Decodes and checks a snapshot file; nil (with the reason) when anything is off.
  static func decode(_ bytes: [UInt8]) -> Result<SnapshotFile, SnapshotDecodingError> {
    guard bytes.count >= headerSize + 4, Array(bytes[0..<8]) == magic else {
      return .failure(.init("bad magic or too short"))
    }
    guard bytes.load(UInt32.self, at: 8) == RecordCodec.formatVersion else {
      return .failure(.init("unknown version"))
    }
    let journalLength = bytes.load(UInt64.self, at: 40)
    let appLength = bytes.load(UInt64.self, at: 48)
    guard journalLength < UInt64(bytes.count), appLength < UInt64(bytes.count),
      UInt64(headerSize) + journalLength + appLength + 4 == UInt64(bytes.count)
    else { return .failure(.init("lengths do not match the file size")) }
    guard
      bytes.load(UInt32.self, at: bytes.count - 4) == CRC32C.checksum(bytes[0..<(bytes.count - 4)])
    else {
      return .failure(.init("checksum mismatch"))
    }
    var versions: ShardedDictionary<UInt64> = [:]
    var cursor = headerSize
    let journalEnd = headerSize + Int(journalLength)
    guard journalEnd - cursor >= 4 else { return .failure(.init("journal state too short")) }
    let count = Int(bytes.load(UInt32.self, at: cursor))
    cursor += 4
    versions.reserveCapacity(count)
    for _ in 0..<count {
      guard journalEnd - cursor >= 2 else { return .failure(.init("journal state truncated")) }
      let length = Int(bytes.load(UInt16.self, at: cursor))
      cursor += 2
      guard journalEnd - cursor >= length + 8 else {
        return .failure(.init("journal state truncated"))
      }
      let key = String(decoding: bytes[cursor..<(cursor + length)], as: UTF8.self)
      cursor += length
      versions[key] = bytes.load(UInt64.self, at: cursor)
      cursor += 8
    }
    guard cursor == journalEnd else { return .failure(.init("journal state has trailing bytes")) }
    return .success(
      SnapshotFile(
        sequence: bytes.load(UInt64.self, at: 16),
        position: SegmentPosition(
          segmentFirstSequence: bytes.load(UInt64.self, at: 24),
          offset: Int64(bytes.load(UInt64.self, at: 32))),
        versions: versions, appState: Array(bytes[journalEnd..<(bytes.count - 4)])))
  }
}

struct SnapshotDecodingError: Error, Sendable {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
