import Dispatch
import Foundation
import JunctionJournal
import JunctionSystem
import Synchronization
import Testing

@Suite struct FileJournalTests {
  @Test func appendsAreDurableDenseAndReadBackInOrder() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    #expect(appendAndWait(journal, ["a", "b"], streams: ["s1"]) == .success(1...2))
    #expect(appendAndWait(journal, ["c"], streams: ["s1", "s2"]) == .success(3...3))
    #expect(journal.lastSequence == 3)
    #expect(journal.version(of: "s1") == 3)
    #expect(journal.version(of: "s2") == 1)
    #expect(journal.version(of: "never") == 0)
    let records = try journal.read(after: 1, limit: 10)
    #expect(records.map(\.sequence) == [2, 3])
    #expect(payloads(records) == ["b", "c"])
    #expect(records.last?.streams == ["s1", "s2"])
    #expect(try journal.read(after: 3, limit: 10).isEmpty)
    journal.close()
  }

  /// Counts the deinits of the objects it made.
  final class DropCounter: Sendable {
    private let value = Atomic<Int>(0)
    var count: Int { value.load(ordering: .sequentiallyConsistent) }
    final class Canary: Sendable {
      let counter: DropCounter
      init(_ counter: DropCounter) { self.counter = counter }
      deinit { counter.value.add(1, ordering: .sequentiallyConsistent) }
    }
  }

  /// An append from a thread with a ``ReleaseHome`` is dropped there after its group (the
  /// writer freeing the event loops' allocations contended for their malloc arenas).
  @Test func appendsAreDroppedOnTheThreadThatMadeThem() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    defer { journal.close() }
    let homeTasks = Mutex<[@Sendable () -> Void]>([])
    let home = ReleaseHome { task in homeTasks.withLock { $0.append(task) } }
    let dropped = DropCounter()
    let completed = DispatchSemaphore(value: 0)
    for installsHome in [true, false] {
      Thread.detachNewThread {
        if installsHome { ReleaseHome.install(home) }
        let canary = DropCounter.Canary(dropped)
        journal.append([JournalEntry(streams: ["s"], payload: [1])], conditions: []) { _ in
          withExtendedLifetime(canary) {}
          completed.signal()
        }
      }
      completed.wait()
      // The next append's group follows this one's drop: then the writer is done with it.
      #expect((try? appendAndWait(journal, ["after"]).get()) != nil)
    }
    // The append from the thread without a home was dropped by the writer; the other waits.
    #expect(dropped.count == 1)
    for task in homeTasks.withLock({ tasks in
      defer { tasks = [] }
      return tasks
    }) { task() }
    #expect(dropped.count == 2)
  }

  @Test func reopeningRestoresRecordsVersionsAndContinuesTheSequence() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var journal = try FileJournal.open(directory: directory.path)
    for index in 0..<50 { appendAndWait(journal, ["r\(index)"], streams: ["conv_\(index % 3)"]) }
    journal.close()
    journal = try FileJournal.open(directory: directory.path)
    #expect(journal.lastSequence == 50)
    #expect(journal.recovery.scannedRecords == 50)
    #expect(journal.version(of: "conv_0") == 17)
    #expect(appendAndWait(journal, ["next"]) == .success(51...51))
    #expect(payloads(try readAll(journal)).first == "r0")
    journal.close()
  }

  @Test func aSecondProcessCannotOpenTheSameDirectory() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    #expect(throws: JournalError.locked(path: directory.path)) {
      try FileJournal.open(directory: directory.path)
    }
    journal.close()
    let again = try FileJournal.open(directory: directory.path)
    again.close()
  }

  @Test func conditionalAppendWritesTheWholeBatchOrNothing() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    appendAndWait(journal, ["x"], streams: ["conv"])
    let stale = appendAndWait(
      journal, ["y1", "y2"], streams: ["conv"],
      conditions: [StreamCondition(stream: "conv", expectedVersion: 0)])
    #expect(stale == .failure(.conflict(stream: "conv", expected: 0, actual: 1)))
    #expect(journal.lastSequence == 1)
    let fresh = appendAndWait(
      journal, ["z1", "z2"], streams: ["conv"],
      conditions: [StreamCondition(stream: "conv", expectedVersion: 1)])
    #expect(fresh == .success(2...3))
    #expect(journal.version(of: "conv") == 3)
    journal.close()
  }

  @Test func twentyRacersForOneStreamExactlyOneWins() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    let wins = Atomic<Int>(0)
    let conflicts = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 20) { index in
      switch appendAndWait(
        journal, ["claim \(index)"], streams: ["claim:q1"],
        conditions: [StreamCondition(stream: "claim:q1", expectedVersion: 0)])
      {
      case .success: wins.add(1, ordering: .relaxed)
      case .failure(.conflict): conflicts.add(1, ordering: .relaxed)
      case .failure: break
      }
    }
    #expect(wins.load(ordering: .relaxed) == 1)
    #expect(conflicts.load(ordering: .relaxed) == 19)
    #expect(journal.lastSequence == 1)
    journal.close()
  }

  @Test func followDeliversBacklogThenLiveRecordsExactlyOnceInOrder() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    for index in 0..<10 { appendAndWait(journal, ["early \(index)"]) }
    let seen = Mutex<[UInt64]>([])
    let subscription = try journal.follow(after: 4) { records in
      seen.withLock { $0 += records.map(\.sequence) }
    }
    #expect(seen.withLock { $0 } == Array(5...10))
    DispatchQueue.concurrentPerform(iterations: 8) { worker in
      for index in 0..<25 { appendAndWait(journal, ["w\(worker)-\(index)"]) }
    }
    #expect(seen.withLock { $0 } == Array(5...210))
    subscription.cancel()
    appendAndWait(journal, ["after cancel"])
    #expect(seen.withLock { $0 }.last == 210)
    journal.close()
  }

  @Test func completionsComeAfterFollowersSawTheRecords() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    let applied = Atomic<UInt64>(0)
    let subscription = try journal.follow(after: 0) { records in
      applied.store(records.last?.sequence ?? 0, ordering: .releasing)
    }
    for _ in 0..<20 {
      if case .success(let range) = appendAndWait(journal, ["x"]) {
        #expect(applied.load(ordering: .acquiring) >= range.upperBound)
      }
    }
    subscription.cancel()
    journal.close()
  }

  @Test func segmentsRollAndEverythingIsReadableAcrossThem() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.segmentBytes = 4096
    options.tailCacheBytes = 1024
    var journal = try FileJournal.open(directory: directory.path, options: options)
    for index in 0..<300 {
      appendAndWait(journal, [String(repeating: "\(index % 10)", count: 40) + " #\(index)"])
    }
    #expect(directory.segments.count > 3)
    journal.close()
    journal = try FileJournal.open(directory: directory.path, options: options)
    let all = try readAll(journal)
    #expect(all.map(\.sequence) == Array(1...300))
    #expect(payloads(all)[299].hasSuffix("#299"))
    #expect(try journal.read(after: 149, limit: 3).map(\.sequence) == [150, 151, 152])
    journal.close()
  }

  @Test func writeFailureFailsThatGroupOnlyAndTheJournalRecovers() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    var journal = try FileJournal.open(directory: directory.path, fileSystem: fs)
    appendAndWait(journal, ["kept"])
    fs.faults.withLock { $0.failWritesAfter = $0.writes }
    guard case .failure(.io(let error)) = appendAndWait(journal, ["lost 1", "lost 2"]) else {
      Issue.record("expected an I/O failure")
      return
    }
    #expect(error.isNoSpace)
    #expect(journal.lastSequence == 1)
    fs.faults.withLock { $0.failWritesAfter = nil }
    #expect(appendAndWait(journal, ["after space returned"]) == .success(2...2))
    journal.close()
    journal = try FileJournal.open(directory: directory.path)
    #expect(payloads(try readAll(journal)) == ["kept", "after space returned"])
    journal.close()
  }

  /// A group that fails to be written leaves every stream's version as it was: a conditional
  /// append on the old version goes through once space returns, and one counting the lost
  /// records conflicts.
  @Test func aFailedWriteLeavesStreamVersionsAsTheyWere() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    let journal = try FileJournal.open(directory: directory.path, fileSystem: fs)
    appendAndWait(journal, ["kept"], streams: ["thread", "old"])
    fs.faults.withLock { $0.failWritesAfter = $0.writes }
    guard
      case .failure(.io) = appendAndWait(
        journal, ["lost 1", "lost 2"], streams: ["thread", "new"],
        conditions: [StreamCondition(stream: "thread", expectedVersion: 1)])
    else {
      Issue.record("expected an I/O failure")
      return
    }
    #expect(journal.version(of: "thread") == 1)
    #expect(journal.version(of: "new") == 0)
    #expect(journal.version(of: "old") == 1)
    fs.faults.withLock { $0.failWritesAfter = nil }
    #expect(
      appendAndWait(
        journal, ["stale"], streams: ["thread"],
        conditions: [StreamCondition(stream: "thread", expectedVersion: 3)])
        == .failure(.conflict(stream: "thread", expected: 3, actual: 1)))
    #expect(
      appendAndWait(
        journal, ["after"], streams: ["thread", "new"],
        conditions: [
          StreamCondition(stream: "thread", expectedVersion: 1),
          StreamCondition(stream: "new", expectedVersion: 0),
        ]) == .success(2...2))
    #expect(journal.version(of: "thread") == 2)
    #expect(journal.version(of: "new") == 1)
    journal.close()
  }

  /// While a group is being written, `version(of:)` still answers with the durable version;
  /// once the append is acknowledged it counts it.
  @Test func versionOfCountsOnlyDurableRecords() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    let journal = try FileJournal.open(directory: directory.path, fileSystem: fs)
    appendAndWait(journal, ["first"], streams: ["s"])
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    fs.faults.withLock { $0.gate = (entered, release) }
    let done = DispatchSemaphore(value: 0)
    journal.append(
      [JournalEntry(streams: ["s", "t"], payload: Array("second".utf8))],
      conditions: [StreamCondition(stream: "s", expectedVersion: 1)]
    ) { _ in done.signal() }
    #expect(entered.wait(timeout: .now() + 5) == .success)
    #expect(journal.version(of: "s") == 1)
    #expect(journal.version(of: "t") == 0)
    release.signal()
    #expect(done.wait(timeout: .now() + 5) == .success)
    #expect(journal.version(of: "s") == 2)
    #expect(journal.version(of: "t") == 1)
    journal.close()
  }

  @Test func fsyncFailureStopsAcknowledgingUntilReopened() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    let journal = try FileJournal.open(directory: directory.path, fileSystem: fs)
    appendAndWait(journal, ["kept"])
    fs.faults.withLock { $0.failSyncs = true }
    #expect(
      appendAndWait(journal, ["unsure"]) == .failure(.io(SystemError(call: "fdatasync", errno: 5))))
    fs.faults.withLock { $0.failSyncs = false }
    if case .success = appendAndWait(journal, ["refused"]) {
      Issue.record("a failed journal must refuse appends")
    }
    journal.close()
  }

  @Test func appendsAfterCloseFail() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let journal = try FileJournal.open(directory: directory.path)
    journal.close()
    #expect(appendAndWait(journal, ["late"]) == .failure(.closed))
  }
}
