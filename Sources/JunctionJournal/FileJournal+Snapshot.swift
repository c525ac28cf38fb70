import Dispatch
import JunctionModel
import JunctionSystem

extension FileJournal {
  /// Takes a snapshot now and waits until it is durable (for clean shutdown).
  public func snapshotNow() throws(JournalError) {
    let done = DispatchSemaphore(value: 0)
    let outcome = SnapshotOutcome()
    queue.lock()
    guard !closing else {
      queue.unlock()
      throw .closed
    }
    pending.append(
      .barrier { [self] in
        guard let capture = capture() else {
          done.signal()
          return
        }
        outcome.error = writeSnapshot(capture)
        done.signal()
      })
    queue.signal()
    queue.unlock()
    done.wait()
    if let error = outcome.error { throw error }
  }

  /// After a group: snapshot when enough records passed and none is being written.
  func maybeSnapshot() {
    guard options.snapshotEvery > 0, lastSequence >= lastSnapshotSequence + options.snapshotEvery,
      !snapshotInFlight.exchange(true, ordering: .acquiringAndReleasing)
    else { return }
    guard let capture = capture() else {
      snapshotInFlight.store(false, ordering: .releasing)
      return
    }
    snapshotQueue.async { [self] in
      _ = writeSnapshot(capture)
      snapshotInFlight.store(false, ordering: .releasing)
    }
  }

  struct Capture: Sendable {
    var sequence: UInt64
    var position: SegmentPosition
    var versions: ShardedDictionary<UInt64>
    var state: any JournalSnapshotState
  }

  /// Captures journal and application state on the writer thread.
  private func capture() -> Capture? {
    guard let source = snapshotSource.withLock({ $0 }) else { return nil }
    let sequence = lastSequence
    guard sequence > 0 else { return nil }
    lastSnapshotSequence = sequence
    let active = segments.withLock { $0[$0.count - 1] }
    return Capture(
      sequence: sequence,
      position: SegmentPosition(segmentFirstSequence: active.firstSequence, offset: active.size),
      versions: versions.withLock { $0.current }, state: source.captureSnapshot(at: sequence))
  }

  /// Serialises and writes a snapshot (temp + fsync + rename + directory fsync), keeping the
  /// newest two.
  private func writeSnapshot(_ capture: Capture) -> JournalError? {
    let file = SnapshotFile(
      sequence: capture.sequence, position: capture.position, versions: capture.versions,
      appState: capture.state.serialized())
    let (head, checksum) = file.encodedPieces()
    let path = snapshotsDirectory + "/" + SegmentNaming.snapshotName(capture.sequence)
    do throws(SystemError) {
      let temporary = path + ".tmp"
      let handle = try fs.open(temporary, create: true)
      do throws(SystemError) {
        try fs.truncate(handle, to: 0)
        var offset: Int64 = 0
        for piece in [head, file.appState, checksum] {
          try piece.withUnsafeBytes { raw in
            Result { () throws(SystemError) in try fs.write(handle, raw, at: offset) }
          }.get()
          offset += Int64(piece.count)
        }
        try fs.sync(handle)
      } catch {
        fs.close(handle)
        throw error
      }
      fs.close(handle)
      try fs.rename(temporary, to: path)
      try fs.syncDirectory(snapshotsDirectory)
      let old = try fs.list(snapshotsDirectory).compactMap {
        SegmentNaming.snapshotSequence(of: $0)
      }
      .sorted(by: >).dropFirst(2)
      for sequence in old {
        try? fs.remove(snapshotsDirectory + "/" + SegmentNaming.snapshotName(sequence))
      }
      return nil
    } catch {
      return .io(error)
    }
  }
}

/// Carries a snapshot's outcome out of the writer thread.
final class SnapshotOutcome: @unchecked Sendable {
  var error: JournalError?
}
