import Foundation
import JunctionModel
import JunctionSystem
import Synchronization

/// The embedded journal: append-only segment files in one directory, group commit, recovery
/// and snapshots, as specified in FORMAT.md.
///
/// One writer thread owns the active segment. Appenders queue batches; readers read committed
/// records from memory (the recent tail) or with `pread`. See ``Journal`` for the contract.
public final class FileJournal: Journal, @unchecked Sendable {
  let directory: String
  let options: FileJournalOptions
  let fs: any FileSystem
  let lockFile: FileDescriptor
  let instruments: JournalInstruments

  /// Segment metadata, shared by the writer and readers.
  let segments: Locked<[SegmentInfo]>
  /// Stream versions of durable records (and of the group being written).
  let versions: Locked<StreamVersions>
  let lastCommitted: Atomic<UInt64>
  /// Recent records for readers.
  let tail: Locked<TailCache>
  /// Followers; held by the writer while it delivers, and by `follow` while it catches up.
  let followers = Locked<[Follower]>([])
  let nextFollowerId = Atomic<Int>(1)

  // Writer-thread state.
  let queue = NSCondition()
  var pending: [WriterItem] = []
  var closing = false
  var failure: JournalError?
  var activeFile: FileDescriptor
  /// Whether the active segment is a preallocated file (it is longer than its records).
  var activeIsPreallocated: Bool
  /// The last roll failed: the next group rolls whatever its size.
  var rollFailed = false
  let writerStopped = DispatchSemaphore(value: 0)
  var lastSnapshotSequence: UInt64
  let snapshotSource = Mutex<(any JournalSnapshotSource)?>(nil)
  let snapshotInFlight = Atomic<Bool>(false)
  let snapshotQueue = DispatchQueue(label: "junction.journal.snapshot")
  /// Prepares the next segment (nil when ``FileJournalOptions/preallocate`` is off).
  let preallocator: SegmentPreallocator?

  /// What ``open(directory:options:metrics:fileSystem:)`` found.
  public let recovery: RecoveryReport
  /// The application state of the snapshot recovery started from, to restore projections
  /// before following the records after it; nil after ``releaseSnapshot()``.
  public var snapshot: (sequence: UInt64, state: [UInt8])? { loadedSnapshot.withLock { $0 } }
  private let loadedSnapshot: Mutex<(sequence: UInt64, state: [UInt8])?>

  var segmentsDirectory: String { directory + "/segments" }
  var snapshotsDirectory: String { directory + "/snapshots" }

  /// Opens (creating if needed) and recovers the journal in `directory`.
  public static func open(
    directory: String, options: FileJournalOptions = FileJournalOptions(),
    metrics: MetricsRegistry? = nil, fileSystem: any FileSystem = PosixFileSystem()
  ) throws(JournalError) -> FileJournal {
    let started = monotonicNanoseconds()
    do {
      try fileSystem.createDirectory(directory + "/segments")
      try fileSystem.createDirectory(directory + "/snapshots")
    } catch {
      throw .io(error)
    }
    var lock: FileDescriptor?
    // A child process spawned by this one at the moment a previous holder closed the lock may
    // carry its descriptor until it calls exec: a held lock is retried for up to a second
    // before another process is named as the holder.
    for attempt in 0..<20 where lock == nil {
      if attempt > 0 { Thread.sleep(forTimeInterval: 0.05) }
      do {
        lock = try fileSystem.lockExclusively(directory + "/LOCK")
      } catch {
        throw .io(error)
      }
    }
    guard let lock else { throw .locked(path: directory) }
    do {
      var recovered = try JournalRecovery(directory: directory, options: options, fs: fileSystem)
        .run()
      recovered.report.seconds = Double(monotonicNanoseconds() - started) / 1e9
      return FileJournal(
        directory: directory, options: options, fs: fileSystem, lockFile: lock,
        recovered: recovered,
        metrics: metrics ?? MetricsRegistry())
    } catch {
      fileSystem.close(lock)
      throw error
    }
  }

  init(
    directory: String, options: FileJournalOptions, fs: any FileSystem, lockFile: FileDescriptor,
    recovered: JournalRecovery.Result, metrics: MetricsRegistry
  ) {
    self.directory = directory
    self.options = options
    self.fs = fs
    self.lockFile = lockFile
    segments = Locked(recovered.segments)
    versions = Locked(StreamVersions(current: recovered.versions))
    lastCommitted = Atomic(recovered.report.lastSequence)
    tail = Locked(
      TailCache(
        capacityBytes: options.tailCacheBytes, nextSequence: recovered.report.lastSequence + 1))
    activeFile = recovered.activeFile
    activeIsPreallocated = Self.hasZeroTail(
      recovered.activeFile, records: recovered.segments[recovered.segments.count - 1], fs: fs)
    lastSnapshotSequence = recovered.snapshot?.sequence ?? 0
    recovery = recovered.report
    loadedSnapshot = Mutex(recovered.snapshot.map { ($0.sequence, $0.appState) })
    instruments = JournalInstruments(metrics)
    preallocator =
      options.preallocate
      ? SegmentPreallocator(
        segmentsDirectory: directory + "/segments", bytes: options.segmentBytes, fs: fs) : nil
    instruments.lastSequence.set(Int(recovered.report.lastSequence))
    let thread = Thread { [self] in runWriter() }
    thread.name = "junction-journal-writer"
    thread.start()
  }

  public var lastSequence: UInt64 { lastCommitted.load(ordering: .acquiring) }

  /// Whether `file` goes on past `records`' end: a preallocated segment's zero tail.
  static func hasZeroTail(_ file: FileDescriptor, records: SegmentInfo, fs: any FileSystem) -> Bool
  {
    guard let size = try? fs.size(file) else { return false }
    return size > records.size
  }

  public func version(of stream: String) -> UInt64 {
    versions.withLock { $0.durable(stream) }
  }

  /// Lets go of ``snapshot``'s bytes once the application has restored from them (they are
  /// as large as the state; the file stays on disk).
  public func releaseSnapshot() { loadedSnapshot.withLock { $0 = nil } }

  /// Sets where snapshot state comes from; automatic snapshots start.
  public func setSnapshotSource(_ source: any JournalSnapshotSource) {
    snapshotSource.withLock { $0 = source }
  }
}

/// A registered follower.
struct Follower: Sendable {
  let id: Int
  let handler: @Sendable ([JournalRecord]) -> Void
  var position: UInt64
  let cancelled: CancelFlag
}

final class CancelFlag: Sendable {
  let value = Atomic<Bool>(false)
}

/// The subscription handle `follow` returns.
final class FileJournalSubscription: JournalSubscription {
  let flag: CancelFlag

  init(flag: CancelFlag) { self.flag = flag }

  func cancel() {
    flag.value.store(true, ordering: .releasing)
    // Removal happens lazily (cancel may be called from inside a handler on the writer thread).
  }
}

/// The journal's metrics, looked up once.
struct JournalInstruments: Sendable {
  let appends: Counter
  let batches: Counter
  let batchRecords: Histogram
  let fsyncSeconds: Histogram
  let bytes: Counter
  let conflicts: Counter
  let errors: Counter
  let lastSequence: Gauge

  init(_ metrics: MetricsRegistry) {
    appends = metrics.counter(
      "junction_journal_appends_total", help: "Records appended to the journal")
    batches = metrics.counter(
      "junction_journal_batches_total", help: "Group commits (one write and one fsync each)")
    batchRecords = metrics.histogram(
      "junction_journal_batch_records", help: "Records per group commit",
      buckets: Histogram.batchSizes)
    fsyncSeconds = metrics.histogram(
      "junction_journal_fsync_seconds", help: "Time spent in fsync per group commit")
    bytes = metrics.counter(
      "junction_journal_bytes_total", help: "Bytes written to journal segments")
    conflicts = metrics.counter(
      "junction_journal_conflicts_total", help: "Appends refused by a stream condition")
    errors = metrics.counter(
      "junction_journal_errors_total", help: "Appends failed by an I/O error")
    lastSequence = metrics.gauge(
      "junction_journal_last_sequence", help: "Newest durable sequence number")
  }
}
