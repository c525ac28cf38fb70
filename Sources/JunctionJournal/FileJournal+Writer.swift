import Foundation
import JunctionSystem

/// Work for the writer thread.
enum WriterItem {
  /// `home`: the appending thread's ``ReleaseHome``, where the item is dropped after its group.
  case append(
    entries: [JournalEntry], conditions: [StreamCondition],
    completion: @Sendable (Result<ClosedRange<UInt64>, JournalError>) -> Void,
    home: ReleaseHome?)
  /// Runs on the writer thread between groups (snapshots).
  case barrier(() -> Void)
}

extension FileJournal {
  public func append(
    _ entries: [JournalEntry], conditions: [StreamCondition],
    completion: @escaping @Sendable (Result<ClosedRange<UInt64>, JournalError>) -> Void
  ) {
    guard !entries.isEmpty else {
      let last = lastSequence
      completion(.success((last + 1)...last + 1))
      return
    }
    queue.lock()
    if closing {
      queue.unlock()
      completion(.failure(.closed))
      return
    }
    pending.append(
      .append(
        entries: entries, conditions: conditions, completion: completion,
        home: ReleaseHome.current))
    if pending.count == 1 { queue.signal() }
    queue.unlock()
  }

  func runWriter() {
    while true {
      queue.lock()
      while pending.isEmpty && !closing { queue.wait() }
      if pending.isEmpty && closing {
        queue.unlock()
        break
      }
      var items = pending
      pending.removeAll(keepingCapacity: true)
      queue.unlock()
      var group: [WriterItem] = []
      var groupBytes = 0
      for item in items {
        switch item {
        case .barrier(let work):
          commit(group)
          group.removeAll()
          groupBytes = 0
          work()
        case .append(let entries, _, _, _):
          let size = entries.reduce(0) { $0 + $1.payload.count + 64 }
          if groupBytes + size > options.maxGroupBytes && !group.isEmpty {
            commit(group)
            group.removeAll()
            groupBytes = 0
          }
          group.append(item)
          groupBytes += size
        }
      }
      commit(group)
      group = []
      sendHome(&items)
      maybeSnapshot()
    }
    if options.fsync == .group { try? fs.sync(activeFile) }
    fs.close(activeFile)
    writerStopped.signal()
  }

  /// Drops a batch's appends on the threads that made them (see ``ReleaseHome``); the writer
  /// must hold no other reference to them. Appends from a thread without a home are dropped
  /// here.
  private func sendHome(_ items: inout [WriterItem]) {
    var homes: [ReleaseHome] = []
    var bags: [[WriterItem]] = []
    for item in items {
      guard case .append(_, _, _, let home?) = item else { continue }
      if let index = homes.firstIndex(where: { $0 === home }) {
        bags[index].append(item)
      } else {
        homes.append(home)
        bags.append([item])
      }
    }
    items = []
    while let home = homes.popLast(), let bag = bags.popLast() {
      home.release(consume bag)
    }
  }

  /// Checks conditions, writes and syncs one group, publishes it, completes its appends.
  private func commit(_ group: [WriterItem]) {
    guard !group.isEmpty else { return }
    if let failure {
      complete(group.map { ($0, .failure(failure)) })
      return
    }
    var buffer: [UInt8] = []
    var records: [JournalRecord] = []
    var offsets: [Int] = []
    // One allocation for the group's bytes (appending record by record regrew it several
    // times per group, each a copy of everything so far).
    var entryCount = 0
    var estimate = 0
    for item in group {
      guard case .append(let entries, _, _, _) = item else { continue }
      entryCount += entries.count
      for entry in entries {
        estimate += RecordCodec.encodedSize(
          streams: entry.streams, payloadCount: entry.payload.count)
      }
    }
    buffer.reserveCapacity(estimate)
    records.reserveCapacity(entryCount)
    offsets.reserveCapacity(entryCount)
    // Each stream an entry names, with its version before this group, in order: the versions
    // are bumped in place (one lookup each) and put back if the group is not written.
    var before: [(stream: String, version: UInt64)] = []
    before.reserveCapacity(entryCount * 3)
    var results: [(WriterItem, Result<ClosedRange<UInt64>, JournalError>)] = []
    var next = lastSequence + 1
    // Checked and bumped under the versions lock without copying the map (a copy would
    // duplicate the whole dictionary on every group). Readers of `version(of:)` meanwhile get
    // the versions from before the group (`StreamVersions.durable`).
    versions.withLock { table in
      for item in group {
        guard case .append(let entries, let conditions, _, _) = item else { continue }
        if let conflict = conditions.first(where: {
          (table.current[$0.stream] ?? 0) != $0.expectedVersion
        }) {
          let actual = table.current[conflict.stream] ?? 0
          results.append(
            (
              item,
              .failure(
                .conflict(
                  stream: conflict.stream, expected: conflict.expectedVersion, actual: actual))
            ))
          instruments.conflicts.increment()
          continue
        }
        if let large = entries.first(where: { $0.payload.count > options.maxRecordBytes }) {
          results.append(
            (item, .failure(.tooLarge(bytes: large.payload.count, limit: options.maxRecordBytes))))
          continue
        }
        let first = next
        for entry in entries {
          offsets.append(buffer.count)
          RecordCodec.encode(
            sequence: next, streams: entry.streams, payload: entry.payload, into: &buffer)
          for stream in entry.streams {
            before.append((stream, StreamVersions.bump(&table.current[stream])))
          }
          records.append(
            JournalRecord(
              sequence: next, streams: entry.streams, payload: entry.payload, context: entry.context
            ))
          next += 1
        }
        results.append((item, .success(first...(next - 1))))
      }
      table.beforeGroup = before
    }
    guard !records.isEmpty else {
      complete(results)
      return
    }
    do {
      try write(buffer, firstSequence: records[0].sequence, offsets: offsets)
    } catch {
      versions.withLock { $0.undoGroup() }
      instruments.errors.increment()
      complete(results.map { item, result in (item, result.flatMap { _ in .failure(error) }) })
      return
    }
    versions.withLock { $0.beforeGroup.removeAll(keepingCapacity: true) }
    tail.withLock { $0.append(records) }
    lastCommitted.store(next - 1, ordering: .releasing)
    instruments.appends.increment(by: records.count)
    instruments.batches.increment()
    instruments.batchRecords.observe(Double(records.count))
    instruments.bytes.increment(by: buffer.count)
    instruments.lastSequence.set(Int(next - 1))
    deliver(records)
    complete(results)
  }

  /// Writes a group at the end of the active segment (rolling first when it would overflow)
  /// and syncs it. A failed write is undone; a failed sync fails the journal.
  private func write(_ buffer: [UInt8], firstSequence: UInt64, offsets: [Int]) throws(JournalError)
  {
    var active = segments.withLock { $0[$0.count - 1] }
    // A plain segment (the first one, or one made while the zeros were not ready) gives way to
    // the prepared file as soon as it is ready: its commits' syncs also write metadata.
    let full = active.size + Int64(buffer.count) > Int64(options.segmentBytes)
    let upgrade = !activeIsPreallocated && preallocator?.isReady == true
    if (full || upgrade || rollFailed) && active.lastSequence >= active.firstSequence {
      // A roll that failed may have left its new segment under its final name: the next group
      // (which starts at the same sequence) must roll again and overwrite it, not append here.
      rollFailed = true
      active = try roll(firstSequence: firstSequence)
      rollFailed = false
    }
    let start = active.size
    do {
      let file = activeFile
      try buffer.withUnsafeBytes { bytes in
        Result { () throws(SystemError) in try fs.write(file, bytes, at: start) }
      }.get()
    } catch {
      try? fs.truncate(activeFile, to: start)
      throw .io(error)
    }
    if options.fsync == .group {
      let before = monotonicNanoseconds()
      do {
        try fs.sync(activeFile)
      } catch {
        failure = .io(error)
        throw .io(error)
      }
      instruments.fsyncSeconds.observe(Double(monotonicNanoseconds() - before) / 1e9)
    }
    if let preallocator, start + Int64(buffer.count) > Int64(min(options.segmentBytes / 4, 1 << 20))
    {
      preallocator.prepare()
    }
    segments.withLock { all in
      let last = all.count - 1
      for (index, offset) in offsets.enumerated() {
        all[last].noteRecord(sequence: firstSequence + UInt64(index), offset: start + Int64(offset))
      }
      all[last].size = start + Int64(buffer.count)
      all[last].lastSequence = firstSequence + UInt64(offsets.count) - 1
    }
  }

  private func roll(firstSequence: UInt64) throws(JournalError) -> SegmentInfo {
    // Seal the active segment at its last record: a preallocated zero tail is cut off (were
    // the cut lost in a crash, recovery reads the zeros as the end all the same).
    let sealedSize = segments.withLock { $0[$0.count - 1].size }
    if let fileSize = try? fs.size(activeFile), fileSize > sealedSize {
      try? fs.truncate(activeFile, to: sealedSize)
    }
    let recovery = JournalRecovery(directory: directory, options: options, fs: fs)
    let created = try recovery.createSegment(
      firstSequence: firstSequence, preallocated: preallocator?.take())
    let file: FileDescriptor
    do {
      file = try fs.open(created.path, create: false)
    } catch {
      throw .io(error)
    }
    if options.fsync == .group { try? fs.sync(activeFile) }
    fs.close(activeFile)
    activeFile = file
    activeIsPreallocated = Self.hasZeroTail(file, records: created, fs: fs)
    segments.withLock { $0.append(created) }
    return created
  }

  private func complete(_ results: [(WriterItem, Result<ClosedRange<UInt64>, JournalError>)]) {
    for (item, result) in results {
      if case .append(_, _, let completion, _) = item { completion(result) }
    }
  }

  /// Drains appends in flight, syncs, stops the writer and releases the directory lock.
  public func close() {
    queue.lock()
    let first = !closing
    closing = true
    queue.signal()
    queue.unlock()
    guard first else { return }
    writerStopped.wait()
    snapshotQueue.sync {}
    preallocator?.waitUntilIdle()
    fs.close(lockFile)
  }
}
