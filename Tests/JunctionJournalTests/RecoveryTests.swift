import Foundation
import JunctionJournal
import JunctionSystem
import Testing

/// FORMAT.md's recovery rules, one case per test.
@Suite struct RecoveryTests {
  /// Writes `count` records and returns the directory and the segment's bytes.
  func journalWith(_ count: Int, streams: [String] = ["s"]) throws -> TemporaryDirectory {
    let directory = TemporaryDirectory()
    let journal = try FileJournal.open(directory: directory.path)
    for index in 0..<count { appendAndWait(journal, ["record number \(index)"], streams: streams) }
    journal.close()
    return directory
  }

  @Test func tornTailAtEveryByteOfTheLastRecordIsTruncated() throws {
    let directory = try journalWith(3)
    defer { directory.cleanup() }
    let path = directory.segmentPath(0)
    let full = directory.bytes(path)
    let lastRecordSize = 24 + 2 + 1 + "record number 2".utf8.count
    let lastStart = full.count - ((lastRecordSize + 7) & ~7)
    for cut in lastStart..<full.count {
      directory.write(Array(full[..<cut]), to: path)
      let journal = try FileJournal.open(directory: directory.path)
      #expect(journal.lastSequence == 2, "cut at \(cut)")
      #expect(journal.recovery.truncatedBytes == Int64(cut - lastStart))
      #expect(journal.version(of: "s") == 2)
      #expect(appendAndWait(journal, ["again"]) == .success(3...3))
      journal.close()
      #expect(directory.bytes(path).count > lastStart)
      directory.write(full, to: path)
    }
  }

  @Test func tornTailOfAMultiRecordBatchKeepsTheValidPrefix() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var journal = try FileJournal.open(directory: directory.path)
    appendAndWait(journal, ["one"])
    appendAndWait(journal, ["two", "three", "four"])
    journal.close()
    let path = directory.segmentPath(0)
    let full = directory.bytes(path)
    directory.write(Array(full[..<(full.count - 5)]), to: path)
    journal = try FileJournal.open(directory: directory.path)
    #expect(payloads(try readAll(journal)) == ["one", "two", "three"])
    journal.close()
  }

  @Test(arguments: [0, 4, 8, 16, 19, 20, 26])
  func flippedBitInAMiddleRecordIsRefusedNamingSegmentAndOffset(_ byteInRecord: Int) throws {
    let directory = try journalWith(5)
    defer { directory.cleanup() }
    let path = directory.segmentPath(0)
    var bytes = directory.bytes(path)
    let recordSize = (24 + 3 + "record number 0".utf8.count + 7) & ~7
    let secondRecord = 32 + recordSize
    bytes[secondRecord + byteInRecord] ^= 0x10
    directory.write(bytes, to: path)
    #expect(
      throws: JournalError.corrupted(
        segment: directory.segments[0], offset: Int64(secondRecord), reason: "checksum mismatch")
    ) {
      try FileJournal.open(directory: directory.path)
    }
  }

  @Test func flippedBitInTheLastRecordIsTreatedAsATornTail() throws {
    let directory = try journalWith(4)
    defer { directory.cleanup() }
    let path = directory.segmentPath(0)
    var bytes = directory.bytes(path)
    bytes[bytes.count - 3] ^= 0x01
    directory.write(bytes, to: path)
    let journal = try FileJournal.open(directory: directory.path)
    #expect(journal.lastSequence == 3)
    journal.close()
  }

  @Test func corruptionInASealedSegmentIsRefused() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = FileJournalOptions()
    options.segmentBytes = 1024
    let journal = try FileJournal.open(directory: directory.path, options: options)
    for index in 0..<100 { appendAndWait(journal, ["payload \(index) with some padding text"]) }
    journal.close()
    #expect(directory.segments.count > 2)
    let path = directory.segmentPath(0)
    var bytes = directory.bytes(path)
    bytes[bytes.count - 10] ^= 0xFF
    directory.write(bytes, to: path)
    #expect(throws: JournalError.self) {
      try FileJournal.open(directory: directory.path, options: options)
    }
  }

  @Test func invalidSegmentHeaderIsRefused() throws {
    let directory = try journalWith(2)
    defer { directory.cleanup() }
    let path = directory.segmentPath(0)
    var bytes = directory.bytes(path)
    bytes[17] ^= 0x01
    directory.write(bytes, to: path)
    #expect(
      throws: JournalError.corrupted(
        segment: directory.segments[0], offset: 0, reason: "invalid segment header")
    ) {
      try FileJournal.open(directory: directory.path)
    }
  }

  @Test func leftoverTemporaryFilesFromACrashedRollAreRemoved() throws {
    let directory = try journalWith(2)
    defer { directory.cleanup() }
    directory.write(
      Array(repeating: 7, count: 10), to: directory.path + "/segments/00000000000000000003.seg.tmp")
    directory.write(
      Array(repeating: 7, count: 10),
      to: directory.path + "/snapshots/00000000000000000002.snap.tmp")
    let journal = try FileJournal.open(directory: directory.path)
    #expect(journal.recovery.removedTemporaryFiles == 2)
    #expect(journal.lastSequence == 2)
    #expect(appendAndWait(journal, ["three"]) == .success(3...3))
    journal.close()
  }

  @Test func anEmptyLastSegmentLeftByACrashedRollIsDropped() throws {
    let directory = try journalWith(2)
    defer { directory.cleanup() }
    directory.write([], to: directory.path + "/segments/00000000000000000003.seg")
    let journal = try FileJournal.open(directory: directory.path)
    #expect(journal.lastSequence == 2)
    #expect(appendAndWait(journal, ["three"]) == .success(3...3))
    journal.close()
  }

  @Test func crashBetweenWriteAndFsyncLosesNothingAcknowledged() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    let journal = try FileJournal.open(directory: directory.path, fileSystem: fs)
    appendAndWait(journal, ["acknowledged"])
    // The process "dies": the next group's bytes never reach the disk.
    fs.faults.withLock { $0.crashed = true }
    journal.append([JournalEntry(payload: Array("in flight".utf8))], conditions: []) { _ in }
    Thread.sleep(forTimeInterval: 0.05)
    // Reopening the directory from what is really on disk (the lock is held by the "dead"
    // journal in this process, so copy the directory like a restart would see it).
    let copy = TemporaryDirectory()
    defer { copy.cleanup() }
    try FileManager.default.removeItem(atPath: copy.path)
    try FileManager.default.copyItem(atPath: directory.path, toPath: copy.path)
    try? FileManager.default.removeItem(atPath: copy.path + "/LOCK")
    let reopened = try FileJournal.open(directory: copy.path)
    #expect(payloads(try readAll(reopened)) == ["acknowledged"])
    reopened.close()
  }
}
