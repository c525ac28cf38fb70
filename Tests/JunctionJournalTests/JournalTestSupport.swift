import Dispatch
import Foundation
import Glibc
import JunctionJournal
import JunctionSystem
import Synchronization

/// A fresh temporary directory, removed by `cleanup()`.
final class TemporaryDirectory {
  let path: String

  init() {
    path = NSTemporaryDirectory() + "junction-journal-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func cleanup() { try? FileManager.default.removeItem(atPath: path) }

  var segments: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path + "/segments")) ?? []).filter {
      $0.hasSuffix(".seg")
    }.sorted()
  }

  func segmentPath(_ index: Int) -> String { path + "/segments/" + segments[index] }

  func bytes(_ file: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: file) ?? Data())
  }

  func write(_ bytes: [UInt8], to file: String) {
    FileManager.default.createFile(atPath: file, contents: Data(bytes))
  }
}

/// Appends synchronously (waits for the durable completion).
@discardableResult
func appendAndWait(
  _ journal: any Journal, _ payloads: [String], streams: [String] = [],
  conditions: [StreamCondition] = []
) -> Result<ClosedRange<UInt64>, JournalError> {
  let done = DispatchSemaphore(value: 0)
  let result = Mutex<Result<ClosedRange<UInt64>, JournalError>?>(nil)
  journal.append(
    payloads.map { JournalEntry(streams: streams, payload: Array($0.utf8)) }, conditions: conditions
  ) { outcome in
    result.withLock { $0 = outcome }
    done.signal()
  }
  done.wait()
  return result.withLock { $0! }
}

func payloads(_ records: [JournalRecord]) -> [String] {
  records.map { String(decoding: $0.payload, as: UTF8.self) }
}

func readAll(_ journal: FileJournal) throws -> [JournalRecord] {
  var out: [JournalRecord] = []
  var position: UInt64 = 0
  while true {
    let batch = try journal.read(after: position, limit: 1000)
    guard let last = batch.last else { return out }
    out += batch
    position = last.sequence
  }
}

/// A file system that fails on command: writes with an errno after a number of successful
/// writes, fsync with an errno, or "crashes" (drops every later write and sync silently, as if
/// the process died before they happened).
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
  struct Faults {
    var failWritesAfter: Int?
    var writeErrno: Int32 = ENOSPC
    var failSyncs = false
    var crashed = false
    var writes = 0
    /// Writes longer than this fail with ENOSPC (a disk too full for a preallocated segment
    /// that still takes small appends); how many were tried.
    var failWritesLongerThan: Int?
    var longWritesTried = 0
    /// When set, the next write signals `entered` and waits for `release` before writing.
    var gate: (entered: DispatchSemaphore, release: DispatchSemaphore)?
    /// Directory fsyncs still to fail (after the rename they follow has happened).
    var failDirectorySyncs = 0
  }

  let real = PosixFileSystem()
  let faults = Mutex(Faults())

  func open(_ path: String, create: Bool) throws(SystemError) -> FileDescriptor {
    try real.open(path, create: create)
  }
  func openForReading(_ path: String) throws(SystemError) -> FileDescriptor {
    try real.openForReading(path)
  }
  func close(_ file: FileDescriptor) { real.close(file) }

  func write(_ file: FileDescriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64)
    throws(SystemError)
  {
    if let gate = faults.withLock({ faults -> (DispatchSemaphore, DispatchSemaphore)? in
      defer { faults.gate = nil }
      return faults.gate
    }) {
      gate.0.signal()
      gate.1.wait()
    }
    let decision = faults.withLock { faults -> Int32? in
      if faults.crashed { return -1 }
      if let longest = faults.failWritesLongerThan, bytes.count > longest {
        faults.longWritesTried += 1
        return ENOSPC
      }
      faults.writes += 1
      if let limit = faults.failWritesAfter, faults.writes > limit { return faults.writeErrno }
      return nil
    }
    switch decision {
    case .some(-1): return
    case .some(let code): throw SystemError(call: "pwrite", errno: code)
    case .none: try real.write(file, bytes, at: offset)
    }
  }

  func read(_ file: FileDescriptor, count: Int, at offset: Int64) throws(SystemError) -> [UInt8] {
    try real.read(file, count: count, at: offset)
  }

  func sync(_ file: FileDescriptor) throws(SystemError) {
    let (crashed, fail) = faults.withLock { ($0.crashed, $0.failSyncs) }
    if crashed { return }
    if fail { throw SystemError(call: "fdatasync", errno: EIO) }
    try real.sync(file)
  }

  func truncate(_ file: FileDescriptor, to size: Int64) throws(SystemError) {
    if faults.withLock({ $0.crashed }) { return }
    try real.truncate(file, to: size)
  }

  func size(_ file: FileDescriptor) throws(SystemError) -> Int64 { try real.size(file) }
  func rename(_ from: String, to: String) throws(SystemError) {
    if faults.withLock({ $0.crashed }) { return }
    try real.rename(from, to: to)
  }
  func remove(_ path: String) throws(SystemError) { try real.remove(path) }
  func createDirectory(_ path: String) throws(SystemError) { try real.createDirectory(path) }
  func list(_ path: String) throws(SystemError) -> [String] { try real.list(path) }
  func syncDirectory(_ path: String) throws(SystemError) {
    let fail = faults.withLock { faults -> Bool in
      guard faults.failDirectorySyncs > 0 else { return false }
      faults.failDirectorySyncs -= 1
      return true
    }
    if fail { throw SystemError(call: "fsync", errno: EIO) }
    try real.syncDirectory(path)
  }
  func exists(_ path: String) -> Bool { real.exists(path) }
  func lockExclusively(_ path: String) throws(SystemError) -> FileDescriptor? {
    try real.lockExclusively(path)
  }
}

/// Application state for snapshot tests: a counter of applied records.
final class CountingState: JournalSnapshotSource, @unchecked Sendable {
  let applied = Mutex<UInt64>(0)

  struct Captured: JournalSnapshotState {
    let value: UInt64
    func serialized() -> [UInt8] { Array("applied=\(value)".utf8) }
  }

  func captureSnapshot(at sequence: UInt64) -> any JournalSnapshotState {
    Captured(value: applied.withLock { $0 })
  }
}
