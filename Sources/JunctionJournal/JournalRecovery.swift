import JunctionModel
import JunctionSystem

/// FORMAT.md's recovery procedure: temp files removed, newest valid snapshot loaded, segments
/// after it scanned, torn tail truncated, corruption refused.
struct JournalRecovery {
  struct Result {
    var segments: [SegmentInfo]
    var versions: ShardedDictionary<UInt64>
    var activeFile: FileDescriptor
    var snapshot: SnapshotFile?
    var report: RecoveryReport
  }

  let directory: String
  let options: FileJournalOptions
  let fs: any FileSystem

  var segmentsDirectory: String { directory + "/segments" }
  var snapshotsDirectory: String { directory + "/snapshots" }

  func io(_ body: () throws(SystemError) -> Void) throws(JournalError) {
    do { try body() } catch { throw .io(error) }
  }

  func run() throws(JournalError) -> Result {
    var report = RecoveryReport()
    var segmentNames: [String] = []
    var snapshotNames: [String] = []
    try io { () throws(SystemError) in
      for name in try fs.list(segmentsDirectory) where name.hasSuffix(".tmp") {
        try fs.remove(segmentsDirectory + "/" + name)
        report.removedTemporaryFiles += 1
      }
      for name in try fs.list(snapshotsDirectory) where name.hasSuffix(".tmp") {
        try fs.remove(snapshotsDirectory + "/" + name)
        report.removedTemporaryFiles += 1
      }
      segmentNames = try fs.list(segmentsDirectory)
      snapshotNames = try fs.list(snapshotsDirectory)
    }
    var segments = segmentNames.compactMap { name -> SegmentInfo? in
      guard let first = SegmentNaming.firstSequence(of: name) else { return nil }
      return SegmentInfo(
        firstSequence: first, path: segmentsDirectory + "/" + name, lastSequence: first - 1, size: 0
      )
    }.sorted { $0.firstSequence < $1.firstSequence }

    try dropEmptyLastSegment(&segments)
    if segments.isEmpty {
      let first = try createSegment(firstSequence: 1)
      segments = [first]
    }
    guard segments[0].firstSequence == 1 else {
      throw .corrupted(
        segment: SegmentNaming.name(segments[0].firstSequence), offset: 0,
        reason: "the first segment does not start at sequence 1 (segments are missing)")
    }
    report.segments = segments.count

    let snapshot = try loadSnapshot(snapshotNames, segments: segments, report: &report)
    var versions: ShardedDictionary<UInt64> = snapshot?.versions ?? [:]
    var startIndex = 0
    var startOffset = RecordCodec.segmentHeaderSize
    var expected: UInt64 = 1
    if let snapshot {
      startIndex =
        segments.firstIndex { $0.firstSequence == snapshot.position.segmentFirstSequence } ?? 0
      startOffset = Int(snapshot.position.offset)
      expected = snapshot.sequence + 1
      report.snapshotSequence = snapshot.sequence
    }
    // Segments before the start are sealed; their extent follows from the next one's name.
    for index in 0..<startIndex {
      segments[index].lastSequence = segments[index + 1].firstSequence - 1
      segments[index].size = -1
    }
    let scanner = SegmentScanner(maxRecordBytes: options.maxRecordBytes)
    for index in startIndex..<segments.count {
      let info = segments[index]
      let name = SegmentNaming.name(info.firstSequence)
      let isLast = index == segments.count - 1
      var bytes: [UInt8] = []
      try io { () throws(SystemError) in
        let file = try fs.openForReading(info.path)
        defer { fs.close(file) }
        bytes = try fs.read(file, count: Int(try fs.size(file)), at: 0)
      }
      guard let first = RecordCodec.parseSegmentHeader(bytes) else {
        throw .corrupted(segment: name, offset: 0, reason: "invalid segment header")
      }
      guard first == info.firstSequence else {
        throw .corrupted(segment: name, offset: 0, reason: "header says first sequence \(first)")
      }
      let offset = index == startIndex ? startOffset : RecordCodec.segmentHeaderSize
      if index > startIndex || snapshot == nil {
        guard expected == info.firstSequence else {
          throw .corrupted(
            segment: name, offset: 0,
            reason: "expected sequence \(expected) to start this segment (gap in the log)")
        }
      }
      guard offset <= bytes.count else {
        throw .corrupted(
          segment: name, offset: Int64(offset), reason: "snapshot position is past the end")
      }
      segments[index].index = []
      let outcome = scanner.scan(bytes, from: offset, expectedSequence: expected) {
        sequence, streams, _, at in
        for stream in streams { versions[stream, default: 0] += 1 }
        segments[index].noteRecord(sequence: sequence, offset: Int64(at))
        report.scannedRecords += 1
      }
      // The part before the start offset was indexed by an earlier run; rebuilt lazily on read.
      if index == startIndex && offset > RecordCodec.segmentHeaderSize {
        segments[index].index = nil
      }
      if let stop = outcome.stop {
        guard isLast && !outcome.validRecordAfterStop else {
          throw .corrupted(segment: name, offset: Int64(stop.offset), reason: stop.reason)
        }
        report.truncatedBytes = Int64(bytes.count - outcome.validEnd)
        try truncate(info.path, to: Int64(outcome.validEnd))
      }
      segments[index].size = Int64(outcome.validEnd)
      segments[index].lastSequence = outcome.lastSequence
      expected = outcome.lastSequence + 1
    }
    report.lastSequence = expected - 1
    var activeFile = FileDescriptor(raw: -1)
    try io { () throws(SystemError) in
      activeFile = try fs.open(segments[segments.count - 1].path, create: false)
    }
    return Result(
      segments: segments, versions: versions, activeFile: activeFile, snapshot: snapshot,
      report: report)
  }

  /// A last segment that cannot hold a record (shorter than a header, or an all-zero header)
  /// is deleted (FORMAT.md recovery rule 5).
  private func dropEmptyLastSegment(_ segments: inout [SegmentInfo]) throws(JournalError) {
    guard let last = segments.last else { return }
    var bytes: [UInt8] = []
    try io { () throws(SystemError) in
      let file = try fs.openForReading(last.path)
      defer { fs.close(file) }
      bytes = try fs.read(file, count: RecordCodec.segmentHeaderSize, at: 0)
    }
    if bytes.count < RecordCodec.segmentHeaderSize || bytes.allSatisfy({ $0 == 0 }) {
      try io { () throws(SystemError) in try fs.remove(last.path) }
      segments.removeLast()
    }
  }

  private func truncate(_ path: String, to size: Int64) throws(JournalError) {
    try io { () throws(SystemError) in
      let file = try fs.open(path, create: false)
      defer { fs.close(file) }
      try fs.truncate(file, to: size)
      try fs.sync(file)
    }
  }

  /// Writes a new empty segment by temp file + fsync + rename + directory fsync. With a
  /// `preallocated` zero-filled file, the header goes into it and it becomes the segment; if
  /// that fails, a plain segment is made as without one.
  func createSegment(firstSequence: UInt64, preallocated: String? = nil) throws(JournalError)
    -> SegmentInfo
  {
    let path = segmentsDirectory + "/" + SegmentNaming.name(firstSequence)
    let info = SegmentInfo(
      firstSequence: firstSequence, path: path, lastSequence: firstSequence - 1,
      size: Int64(RecordCodec.segmentHeaderSize), index: [])
    if let preallocated {
      do throws(SystemError) {
        try install(preallocated, as: path, firstSequence: firstSequence, fresh: false)
        return info
      } catch {
        try? fs.remove(preallocated)
      }
    }
    try io { () throws(SystemError) in
      try install(path + ".tmp", as: path, firstSequence: firstSequence, fresh: true)
    }
    return info
  }

  /// Writes the segment header at the start of `source` (created and emptied first when
  /// `fresh`), fsyncs it, renames it to `path` and fsyncs the directory.
  private func install(_ source: String, as path: String, firstSequence: UInt64, fresh: Bool)
    throws(SystemError)
  {
    let file = try fs.open(source, create: fresh)
    defer { fs.close(file) }
    if fresh { try fs.truncate(file, to: 0) }
    try RecordCodec.segmentHeader(firstSequence: firstSequence).withUnsafeBytes { header in
      Swift.Result { () throws(SystemError) in try fs.write(file, header, at: 0) }
    }.get()
    try fs.sync(file)
    try fs.rename(source, to: path)
    try fs.syncDirectory(segmentsDirectory)
  }

  /// The newest snapshot that decodes and fits the segments on disk.
  private func loadSnapshot(
    _ names: [String], segments: [SegmentInfo], report: inout RecoveryReport
  )
    throws(JournalError) -> SnapshotFile?
  {
    let candidates = names.compactMap { name in
      SegmentNaming.snapshotSequence(of: name).map { ($0, name) }
    }
    .sorted { $0.0 > $1.0 }
    for (_, name) in candidates {
      var bytes: [UInt8] = []
      do {
        let file = try fs.openForReading(snapshotsDirectory + "/" + name)
        defer { fs.close(file) }
        bytes = try fs.read(file, count: Int(try fs.size(file)), at: 0)
      } catch {
        report.damagedSnapshots += 1
        continue
      }
      guard case .success(let snapshot) = SnapshotFile.decode(bytes),
        let segment = segments.first(where: {
          $0.firstSequence == snapshot.position.segmentFirstSequence
        }),
        snapshot.position.offset >= Int64(RecordCodec.segmentHeaderSize),
        snapshot.sequence + 1 >= segment.firstSequence
      else {
        report.damagedSnapshots += 1
        continue
      }
      var size: Int64 = 0
      try io { () throws(SystemError) in
        let file = try fs.openForReading(segment.path)
        defer { fs.close(file) }
        size = try fs.size(file)
      }
      guard snapshot.position.offset <= size else {
        report.damagedSnapshots += 1
        continue
      }
      return snapshot
    }
    return nil
  }
}
