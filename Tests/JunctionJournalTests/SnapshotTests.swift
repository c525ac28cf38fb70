import Foundation
import JunctionJournal
import Testing

@Suite struct SnapshotTests {
  @Test func reopeningFromASnapshotScansOnlyTheRecordsAfterIt() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.snapshotEvery = 0
    var journal = try FileJournal.open(directory: directory.path, options: options)
    let state = CountingState()
    journal.setSnapshotSource(state)
    for index in 0..<100 { appendAndWait(journal, ["r\(index)"], streams: ["conv_\(index % 4)"]) }
    state.applied.withLock { $0 = 100 }
    try journal.snapshotNow()
    for index in 100..<110 { appendAndWait(journal, ["r\(index)"], streams: ["conv_\(index % 4)"]) }
    journal.close()

    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.recovery.snapshotSequence == 100)
    #expect(journal.recovery.scannedRecords == 10)
    #expect(journal.snapshot?.sequence == 100)
    #expect(journal.snapshot.map { String(decoding: $0.state, as: UTF8.self) } == "applied=100")
    #expect(journal.version(of: "conv_0") == 28)
    #expect(journal.lastSequence == 110)
    // History before the snapshot is still readable.
    #expect(payloads(try journal.read(after: 0, limit: 2)) == ["r0", "r1"])
    #expect(appendAndWait(journal, ["r110"]) == .success(111...111))
    // Once the application restored from it, the snapshot's bytes are let go (found by
    // bench/scale: 130 MB per 100k conversations held for the process's life).
    journal.releaseSnapshot()
    #expect(journal.snapshot == nil)
    #expect(appendAndWait(journal, ["r111"]) == .success(112...112))
    journal.close()
    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.snapshot?.sequence == 100)
    journal.close()
  }

  @Test func automaticSnapshotsHappenEveryNRecordsAndOnlyTwoAreKept() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.snapshotEvery = 10
    let journal = try FileJournal.open(directory: directory.path, options: options)
    journal.setSnapshotSource(CountingState())
    func snapshots() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots")) ?? [])
        .filter { $0.hasSuffix(".snap") }.sorted()
    }
    var taken: Set<String> = []
    for index in 0..<55 {
      appendAndWait(journal, ["r\(index)"])
      // A snapshot is written off the writer thread and the next is skipped while one is in
      // flight: let each finish (on a loaded machine it may take a while) before going on.
      if index % 10 == 9 {
        let deadline = Date().addingTimeInterval(5)
        while snapshots().last.map({ taken.contains($0) }) ?? true, Date() < deadline {
          Thread.sleep(forTimeInterval: 0.005)
        }
        taken.formUnion(snapshots())
      }
    }
    journal.close()
    // Five were taken (after 10, 20 … 50 records); the newest two are kept.
    #expect(taken.count == 5)
    #expect(snapshots() == ["00000000000000000040.snap", "00000000000000000050.snap"])
  }

  @Test func aDamagedNewestSnapshotFallsBackToThePreviousOne() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.snapshotEvery = 0
    var journal = try FileJournal.open(directory: directory.path, options: options)
    journal.setSnapshotSource(CountingState())
    for index in 0..<10 { appendAndWait(journal, ["r\(index)"]) }
    try journal.snapshotNow()
    for index in 10..<20 { appendAndWait(journal, ["r\(index)"]) }
    try journal.snapshotNow()
    journal.close()
    let newest = directory.path + "/snapshots/00000000000000000020.snap"
    var bytes = directory.bytes(newest)
    bytes[bytes.count / 2] ^= 0x40
    directory.write(bytes, to: newest)
    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.recovery.damagedSnapshots == 1)
    #expect(journal.recovery.snapshotSequence == 10)
    #expect(journal.lastSequence == 20)
    journal.close()
  }

  @Test func aTruncatedSnapshotIsIgnored() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.snapshotEvery = 0
    var journal = try FileJournal.open(directory: directory.path, options: options)
    journal.setSnapshotSource(CountingState())
    for index in 0..<10 { appendAndWait(journal, ["r\(index)"]) }
    try journal.snapshotNow()
    journal.close()
    let path = directory.path + "/snapshots/00000000000000000010.snap"
    directory.write(Array(directory.bytes(path).prefix(30)), to: path)
    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.recovery.snapshotSequence == nil)
    #expect(journal.recovery.scannedRecords == 10)
    journal.close()
  }

  @Test func snapshotAcrossSegmentRollsRestoresCorrectly() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.segmentBytes = 2048
    options.snapshotEvery = 0
    options.tailCacheBytes = 512
    var journal = try FileJournal.open(directory: directory.path, options: options)
    journal.setSnapshotSource(CountingState())
    for index in 0..<200 {
      appendAndWait(journal, ["record \(index) padding padding"], streams: ["s"])
    }
    try journal.snapshotNow()
    for index in 200..<230 {
      appendAndWait(journal, ["record \(index) padding padding"], streams: ["s"])
    }
    journal.close()
    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.recovery.scannedRecords == 30)
    #expect(journal.version(of: "s") == 230)
    let all = try readAll(journal)
    #expect(all.map(\.sequence) == Array(1...230))
    journal.close()
  }
}
