import JunctionSystem

/// One segment file and what is known about it.
struct SegmentInfo: Sendable {
  let firstSequence: UInt64
  let path: String
  /// Sequence of its last record; `firstSequence - 1` when empty.
  var lastSequence: UInt64
  /// Bytes in the file (all valid).
  var size: Int64
  /// Every `indexStride`-th record's (sequence, offset); nil until built.
  var index: [(sequence: UInt64, offset: Int64)]?

  static let indexStride: UInt64 = 64

  /// The offset to start scanning from to find `sequence` (an indexed record at or before it).
  func scanStart(for sequence: UInt64) -> (sequence: UInt64, offset: Int64) {
    guard let index, !index.isEmpty else {
      return (firstSequence, Int64(RecordCodec.segmentHeaderSize))
    }
    var low = 0
    var high = index.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if index[middle].sequence <= sequence { low = middle } else { high = middle - 1 }
    }
    if index[low].sequence > sequence {
      return (firstSequence, Int64(RecordCodec.segmentHeaderSize))
    }
    return index[low]
  }

  mutating func noteRecord(sequence: UInt64, offset: Int64) {
    if (sequence - firstSequence) % Self.indexStride == 0 {
      if index == nil { index = [] }
      index?.append((sequence, offset))
    }
  }
}

/// Segment file names: the first sequence as 20 zero-padded digits.
enum SegmentNaming {
  static func name(_ firstSequence: UInt64) -> String {
    let digits = String(firstSequence)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".seg"
  }

  static func firstSequence(of name: String) -> UInt64? {
    guard name.hasSuffix(".seg"), name.count == 24 else { return nil }
    return UInt64(name.dropLast(4))
  }

  static func snapshotName(_ sequence: UInt64) -> String {
    let digits = String(sequence)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".snap"
  }

  static func snapshotSequence(of name: String) -> UInt64? {
    guard name.hasSuffix(".snap"), name.count == 25 else { return nil }
    return UInt64(name.dropLast(5))
  }
}
