import JunctionSystem

extension FileJournal {
  public func read(after sequence: UInt64, limit: Int) throws(JournalError) -> [JournalRecord] {
    let last = lastSequence
    guard sequence < last, limit > 0 else { return [] }
    let wanted = min(limit, Int(min(UInt64(Int.max), last - sequence)))
    if let cached = tail.withLock({ $0.read(after: sequence, limit: wanted) }) { return cached }
    var out: [JournalRecord] = []
    var position = sequence
    while out.count < wanted {
      let batch = try readFromDisk(after: position, limit: wanted - out.count, upTo: last)
      if batch.isEmpty { break }
      out += batch
      position = batch[batch.count - 1].sequence
    }
    return out
  }

  /// Reads records after `sequence` from the segment holding the next one.
  private func readFromDisk(after sequence: UInt64, limit: Int, upTo last: UInt64)
    throws(JournalError)
    -> [JournalRecord]
  {
    let target = sequence + 1
    guard target <= last else { return [] }
    var info = try segmentInfo(containing: target)
    if info.index == nil || info.size < 0 { info = try buildIndex(info) }
    let name = SegmentNaming.name(info.firstSequence)
    let start = info.scanStart(for: target)
    var file = FileDescriptor(raw: -1)
    do { file = try fs.openForReading(info.path) } catch { throw .io(error) }
    defer { fs.close(file) }
    var out: [JournalRecord] = []
    var offset = start.offset
    var expected = start.sequence
    let end = info.size
    let window = 1 << 20
    while offset < end && out.count < limit && expected <= min(last, info.lastSequence) {
      var bytes: [UInt8] = []
      do {
        bytes = try fs.read(
          file, count: Int(min(Int64(max(window, options.maxRecordBytes + 64)), end - offset)),
          at: offset)
      } catch {
        throw .io(error)
      }
      var cursor = 0
      var progressed = false
      let decoded = bytes.withUnsafeBytes { raw -> Result<Void, JournalError> in
        while cursor < raw.count && out.count < limit && expected <= min(last, info.lastSequence) {
          switch RecordCodec.decode(
            raw, at: cursor, maxRecordBytes: options.maxRecordBytes, wantPayload: expected >= target
          ) {
          case .record(let recordSequence, let streams, let payload, let size):
            guard recordSequence == expected else {
              return .failure(
                .corrupted(
                  segment: name, offset: offset + Int64(cursor),
                  reason: "expected sequence \(expected), found \(recordSequence)"))
            }
            if recordSequence >= target {
              out.append(
                JournalRecord(sequence: recordSequence, streams: streams, payload: payload))
            }
            expected += 1
            cursor += size
            progressed = true
          case .incomplete:
            return .success(())
          case .invalid(let reason):
            return .failure(
              .corrupted(segment: name, offset: offset + Int64(cursor), reason: reason))
          }
        }
        return .success(())
      }
      if case .failure(let error) = decoded { throw error }
      guard progressed else {
        throw .corrupted(
          segment: name, offset: offset, reason: "record does not fit the read window")
      }
      offset += Int64(cursor)
    }
    return out
  }

  private func segmentInfo(containing sequence: UInt64) throws(JournalError) -> SegmentInfo {
    let found = segments.withLock { all -> SegmentInfo? in
      var low = 0
      var high = all.count - 1
      while low < high {
        let middle = (low + high + 1) / 2
        if all[middle].firstSequence <= sequence { low = middle } else { high = middle - 1 }
      }
      return all.isEmpty ? nil : all[low]
    }
    guard let found, found.firstSequence <= sequence else {
      throw .corrupted(segment: "", offset: 0, reason: "no segment holds sequence \(sequence)")
    }
    return found
  }

  /// Scans a sealed segment not read at start (it precedes the snapshot), verifying every
  /// record and recording its sparse index.
  private func buildIndex(_ info: SegmentInfo) throws(JournalError) -> SegmentInfo {
    var bytes: [UInt8] = []
    do {
      let file = try fs.openForReading(info.path)
      defer { fs.close(file) }
      bytes = try fs.read(file, count: Int(try fs.size(file)), at: 0)
    } catch {
      throw .io(error)
    }
    let name = SegmentNaming.name(info.firstSequence)
    guard RecordCodec.parseSegmentHeader(bytes) == info.firstSequence else {
      throw .corrupted(segment: name, offset: 0, reason: "invalid segment header")
    }
    var built = info
    built.index = []
    let outcome = SegmentScanner(maxRecordBytes: options.maxRecordBytes).scan(
      bytes, from: RecordCodec.segmentHeaderSize, expectedSequence: info.firstSequence
    ) { sequence, _, _, offset in
      built.noteRecord(sequence: sequence, offset: Int64(offset))
    }
    if let stop = outcome.stop, outcome.lastSequence < info.lastSequence {
      throw .corrupted(segment: name, offset: Int64(stop.offset), reason: stop.reason)
    }
    if info.size >= 0 {
      built.size = info.size
    } else {
      built.size = Int64(outcome.validEnd)
    }
    let result = built
    segments.withLock { all in
      if let position = all.firstIndex(where: { $0.firstSequence == info.firstSequence }) {
        // The active segment keeps growing; only fill in what was missing.
        if all[position].index == nil || all[position].size < 0 {
          all[position].index = result.index
          if all[position].size < 0 { all[position].size = result.size }
        }
      }
    }
    return segments.withLock { all in all.first { $0.firstSequence == info.firstSequence } ?? result
    }
  }

  public func follow(
    after sequence: UInt64, _ handler: @escaping @Sendable ([JournalRecord]) -> Void
  )
    throws(JournalError) -> JournalSubscription
  {
    let flag = CancelFlag()
    let id = nextFollowerId.add(1, ordering: .relaxed).oldValue
    try followers.withLock { (all) throws(JournalError) in
      var position = sequence
      while position < lastSequence {
        let batch = try read(after: position, limit: 4096)
        guard let last = batch.last else { break }
        handler(batch)
        position = last.sequence
      }
      all.append(Follower(id: id, handler: handler, position: position, cancelled: flag))
    }
    return FileJournalSubscription(flag: flag)
  }

  /// Hands a committed group to every follower that has not seen it (writer thread).
  func deliver(_ records: [JournalRecord]) {
    followers.withLock { all in
      all.removeAll { $0.cancelled.value.load(ordering: .acquiring) }
      for index in all.indices {
        let unseen = records.filter { $0.sequence > all[index].position }
        guard let last = unseen.last else { continue }
        all[index].handler(unseen)
        all[index].position = last.sequence
      }
    }
  }
}
