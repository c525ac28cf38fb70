/// Scans a segment's bytes from an offset, applying FORMAT.md's recovery rules.
struct SegmentScanner {
  /// What a scan found.
  struct Outcome {
    /// Offset just past the last valid record.
    var validEnd: Int
    /// Sequence of the last valid record (the start's predecessor if none).
    var lastSequence: UInt64
    /// Where the scan stopped early, and why; nil when it reached the end cleanly.
    var stop: (offset: Int, reason: String)?
    /// Whether a valid record exists after `stop` (then it is corruption, not a torn tail).
    var validRecordAfterStop: Bool
  }

  let maxRecordBytes: Int

  /// Scans `bytes` from `offset`, expecting `expectedSequence` first. `visit` sees every valid
  /// record's sequence, streams, payload (only when `wantPayload`) and offset.
  func scan(
    _ bytes: [UInt8], from offset: Int, expectedSequence: UInt64, wantPayload: Bool = false,
    visit: (UInt64, [String], [UInt8], Int) -> Void
  ) -> Outcome {
    bytes.withUnsafeBytes { raw in
      var cursor = offset
      var expected = expectedSequence
      while cursor < raw.count {
        switch RecordCodec.decode(
          raw, at: cursor, maxRecordBytes: maxRecordBytes, wantPayload: wantPayload)
        {
        case .record(let sequence, let streams, let payload, let size):
          guard sequence == expected else {
            return stopped(
              raw, cursor, expected, "expected sequence \(expected), found \(sequence)")
          }
          visit(sequence, streams, payload, cursor)
          expected += 1
          cursor += size
        case .incomplete:
          return stopped(raw, cursor, expected, "incomplete record")
        case .invalid(let reason):
          return stopped(raw, cursor, expected, reason)
        }
      }
      return Outcome(
        validEnd: cursor, lastSequence: expected - 1, stop: nil, validRecordAfterStop: false)
    }
  }

  private func stopped(
    _ raw: UnsafeRawBufferPointer, _ offset: Int, _ expected: UInt64, _ reason: String
  )
    -> Outcome
  {
    // Zeros to the end: the unused part of a preallocated segment, a clean end.
    if Self.isZero(UnsafeRawBufferPointer(rebasing: raw[offset...])) {
      return Outcome(
        validEnd: offset, lastSequence: expected - 1, stop: nil, validRecordAfterStop: false)
    }
    return Outcome(
      validEnd: offset, lastSequence: expected - 1, stop: (offset, reason),
      validRecordAfterStop: hasValidRecord(raw, after: offset))
  }

  /// Whether every byte is zero (eight at a time).
  static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    while index + 8 <= bytes.count {
      if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
      index += 8
    }
    while index < bytes.count {
      if bytes[index] != 0 { return false }
      index += 1
    }
    return true
  }

  /// Whether any 8-aligned offset after `offset` holds a record whose checksum verifies.
  func hasValidRecord(_ raw: UnsafeRawBufferPointer, after offset: Int) -> Bool {
    var probe = offset + 8
    while probe + RecordCodec.recordHeaderSize <= raw.count {
      if case .record = RecordCodec.decode(
        raw, at: probe, maxRecordBytes: maxRecordBytes, wantPayload: false)
      {
        return true
      }
      probe += 8
    }
    return false
  }
}
