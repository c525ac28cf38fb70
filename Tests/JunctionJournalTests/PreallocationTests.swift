import Foundation
import JunctionJournal
import JunctionSystem
import Testing

/// FORMAT.md's "Preallocation": the next segment is zero-filled ahead of the roll, sealed
/// segments are cut at their last record, and a zero tail is where a segment's records end.
@Suite struct PreallocationTests {
  static let segmentBytes = 8192

  func options() -> FileJournalOptions {
    var options = FileJournalOptions()
    options.segmentBytes = Self.segmentBytes
    return options
  }

  func size(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? -1
  }

  /// Waits until the prepared file exists at full size (it is written in the background).
  func waitForPreparedFile(_ directory: TemporaryDirectory) -> Bool {
    let path = directory.path + "/segments/preallocated.tmp"
    for _ in 0..<500 {
      if size(path) == Self.segmentBytes { return true }
      Thread.sleep(forTimeInterval: 0.01)
    }
    return false
  }

  /// A journal opened in `directory` whose first (plain) segment holds 200-byte `payload`
  /// records (232 bytes each in the segment) past a quarter of it (1 MiB of a larger one),
  /// where the next segment starts being prepared; returned once the prepared file is there.
  func journalWithPreparedFile(
    _ directory: TemporaryDirectory, _ payload: String,
    fileSystem: any FileSystem = PosixFileSystem()
  ) throws -> FileJournal {
    let journal = try FileJournal.open(
      directory: directory.path, options: options(), fileSystem: fileSystem)
    var written = 0
    while written < Self.segmentBytes / 4 + 256 {
      appendAndWait(journal, [payload], streams: ["s"])
      written += 232
    }
    #expect(waitForPreparedFile(directory))
    return journal
  }

  @Test func theRollTakesThePreparedSegmentAndSealsTheOldOneAtItsLastRecord() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let payload = String(repeating: "x", count: 200)
    let journal = try journalWithPreparedFile(directory, payload)
    // Append until the first segment rolls (into the prepared file once its zeros are synced).
    while directory.segments.count < 2 { appendAndWait(journal, [payload], streams: ["s"]) }
    let active = directory.segmentPath(1)
    // The new segment is the prepared file: full size, its records at the front.
    #expect(size(active) == Self.segmentBytes)
    #expect(!FileManager.default.fileExists(atPath: directory.path + "/segments/preallocated.tmp"))
    // The sealed one ends at its last record: no zeros after it.
    let sealed = directory.bytes(directory.segmentPath(0))
    #expect(sealed.count < Self.segmentBytes)
    #expect(sealed.suffix(8) != [UInt8](repeating: 0, count: 8))
    let before = journal.lastSequence
    journal.close()

    // Reopened, it goes on at the end of the records inside the preallocated file.
    let reopened = try FileJournal.open(directory: directory.path, options: options())
    #expect(reopened.lastSequence == before)
    #expect(reopened.recovery.truncatedBytes == 0)
    #expect(
      appendAndWait(reopened, ["after"], streams: ["s"]) == .success((before + 1)...(before + 1)))
    #expect(size(active) == Self.segmentBytes)
    #expect(reopened.version(of: "s") == before + 1)
    let all = try readAll(reopened)
    #expect(all.count == Int(before + 1))
    #expect(all.map(\.sequence) == Array(1...(before + 1)))
    #expect(payloads([all.last!]) == ["after"])
    reopened.close()
  }

  @Test func aPlainSegmentGivesWayToThePreparedOneAsSoonAsItIsReady() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let payload = String(repeating: "p", count: 200)
    // The first segment is plain; past a quarter of it the next one is prepared.
    let journal = try journalWithPreparedFile(directory, payload)
    #expect(directory.segments.count == 1)
    // The next commit after the zeros are synced goes into the prepared file although the
    // plain one has room left.
    for _ in 0..<200 where directory.segments.count == 1 {
      Thread.sleep(forTimeInterval: 0.01)
      appendAndWait(journal, [payload], streams: ["s"])
    }
    try #require(directory.segments.count == 2)
    #expect(size(directory.segmentPath(0)) < Self.segmentBytes / 2)
    #expect(size(directory.segmentPath(1)) == Self.segmentBytes)
    // A preallocated segment is kept until it is full, also after a reopen.
    let count = journal.lastSequence
    journal.close()
    let reopened = try FileJournal.open(directory: directory.path, options: options())
    for _ in 0..<4 { appendAndWait(reopened, [payload], streams: ["s"]) }
    #expect(directory.segments.count == 2)
    #expect(reopened.lastSequence == count + 4)
    #expect(try readAll(reopened).count == Int(count + 4))
    reopened.close()
  }

  /// A roll that fails after its new segment was renamed into place (the directory's fsync
  /// failed) fails that group only; the next group rolls again to the same name, so no
  /// segment file claims records that went elsewhere, and everything acknowledged reads back.
  @Test func aFailedRollIsRetriedByTheNextGroup() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    let payload = String(repeating: "r", count: 200)
    let journal = try journalWithPreparedFile(directory, payload, fileSystem: fs)
    Thread.sleep(forTimeInterval: 0.2)
    // Both the prepared file's install and the plain fallback fail after their rename.
    fs.faults.withLock { $0.failDirectorySyncs = 2 }
    guard case .failure(.io) = appendAndWait(journal, [payload], streams: ["s"]) else {
      Issue.record("the group whose roll failed must fail")
      return
    }
    var acknowledged = journal.lastSequence
    for _ in 0..<3 {
      if case .success = appendAndWait(journal, [payload], streams: ["s"]) { acknowledged += 1 }
    }
    #expect(journal.lastSequence == acknowledged)
    journal.close()
    let reopened = try FileJournal.open(directory: directory.path, options: options())
    #expect(reopened.lastSequence == acknowledged)
    #expect(try readAll(reopened).map(\.sequence) == Array(1...acknowledged))
    reopened.close()
  }

  @Test func aDiskTooFullToPreallocateKeepsAppendingAndDoesNotRetryAtOnce() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let fs = FaultyFileSystem()
    // Zero-filling writes whole 8 KiB pieces; appends are a few hundred bytes.
    fs.faults.withLock { $0.failWritesLongerThan = 4096 }
    let journal = try FileJournal.open(
      directory: directory.path, options: options(), fileSystem: fs)
    let payload = String(repeating: "z", count: 200)
    for index in 0..<150 {
      #expect(appendAndWait(journal, [payload]) == .success(UInt64(index + 1)...UInt64(index + 1)))
      // Let a background attempt run before the next commit could start another.
      if index == 20 { Thread.sleep(forTimeInterval: 0.2) }
    }
    journal.close()
    // Several rolls into plain segments, one failed preparation, and no file left behind.
    #expect(directory.segments.count >= 3)
    #expect(fs.faults.withLock { $0.longWritesTried } == 1)
    #expect(!FileManager.default.fileExists(atPath: directory.path + "/segments/preallocated.tmp"))
    let reopened = try FileJournal.open(directory: directory.path, options: options())
    #expect(reopened.lastSequence == 150)
    reopened.close()
  }

  /// A journal holding "one" and "two", its segment followed by `tail` as a crash (or a
  /// preallocated file) left it; returns the segment's path and its bytes before the tail.
  func twoRecordsFollowedBy(_ tail: [UInt8], in directory: TemporaryDirectory) throws -> (
    path: String, records: [UInt8]
  ) {
    let journal = try FileJournal.open(directory: directory.path)
    appendAndWait(journal, ["one", "two"])
    journal.close()
    let path = directory.segmentPath(0)
    let records = directory.bytes(path)
    directory.write(records + tail, to: path)
    return (path, records)
  }

  @Test func aZeroTailIsWhereTheRecordsEndNotATornWrite() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    let (path, records) = try twoRecordsFollowedBy(
      [UInt8](repeating: 0, count: 1 << 20), in: directory)
    var journal = try FileJournal.open(directory: directory.path)
    #expect(journal.lastSequence == 2)
    #expect(journal.recovery.truncatedBytes == 0)
    #expect(appendAndWait(journal, ["three"]) == .success(3...3))
    journal.close()
    // Written into the zeros, in place: the file kept its size.
    #expect(directory.bytes(path).count == records.count + (1 << 20))
    journal = try FileJournal.open(directory: directory.path)
    #expect(payloads(try readAll(journal)) == ["one", "two", "three"])
    journal.close()
  }

  @Test func aTornWriteBeforeTheZerosIsTruncated() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    // Half a record's worth of bytes reached the disk, the rest of the file is zeros.
    let torn = [UInt8](repeating: 0x5A, count: 20)
    let (path, records) = try twoRecordsFollowedBy(
      torn + [UInt8](repeating: 0, count: 4096), in: directory)
    let journal = try FileJournal.open(directory: directory.path)
    #expect(journal.lastSequence == 2)
    #expect(journal.recovery.truncatedBytes == Int64(torn.count + 4096))
    #expect(directory.bytes(path).count == records.count)
    journal.close()
  }

  @Test func aSealedSegmentWhoseCutWasLostReadsWhole() throws {
    let directory = TemporaryDirectory()
    defer { directory.cleanup() }
    var options = options()
    options.preallocate = false
    var journal = try FileJournal.open(directory: directory.path, options: options)
    var index = 0
    while directory.segments.count < 3 {
      appendAndWait(journal, ["record \(index) " + String(repeating: "y", count: 100)])
      index += 1
    }
    journal.close()
    // A crash after the roll, before the sealed segment's cut reached the disk.
    let path = directory.segmentPath(0)
    directory.write(directory.bytes(path) + [UInt8](repeating: 0, count: 4096), to: path)
    journal = try FileJournal.open(directory: directory.path, options: options)
    #expect(journal.lastSequence == UInt64(index))
    let all = try readAll(journal)
    #expect(all.map(\.sequence) == Array(1...UInt64(index)))
    journal.close()
  }
}
