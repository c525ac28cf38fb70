/// Supplies application state for journal snapshots (Junction's projections).
public protocol JournalSnapshotSource: AnyObject, Sendable {
  /// Called on the journal's writer thread between batches, when every committed record up to
  /// `sequence` has been delivered to `follow` handlers. Must be cheap: return a copy-on-write
  /// copy of the state; serialisation happens later on another thread.
  func captureSnapshot(at sequence: UInt64) -> any JournalSnapshotState
}

/// Application state captured for a snapshot.
public protocol JournalSnapshotState: Sendable {
  /// The bytes stored in the snapshot; called on a background thread.
  func serialized() -> [UInt8]
}

/// What ``FileJournal/open(directory:options:metrics:fileSystem:)`` found and did.
public struct RecoveryReport: Sendable, Equatable, CustomStringConvertible {
  /// Segments on disk.
  public var segments = 0
  /// Records read and checked at start (only those after the snapshot).
  public var scannedRecords = 0
  /// The snapshot used, if any.
  public var snapshotSequence: UInt64?
  /// Snapshots skipped because they were damaged.
  public var damagedSnapshots = 0
  /// Bytes of torn tail cut off.
  public var truncatedBytes: Int64 = 0
  /// The last durable sequence after recovery.
  public var lastSequence: UInt64 = 0
  /// Leftover temporary files removed.
  public var removedTemporaryFiles = 0
  /// Seconds spent.
  public var seconds = 0.0

  public var description: String {
    "segments=\(segments) scanned=\(scannedRecords) snapshot=\(snapshotSequence.map(String.init) ?? "none") "
      + "last_sequence=\(lastSequence) truncated_bytes=\(truncatedBytes) seconds=\(seconds)"
  }
}

/// How the file journal behaves.
public struct FileJournalOptions: Sendable {
  /// A segment is rolled when the next batch would grow it past this.
  public var segmentBytes = 64 << 20
  public var fsync: FsyncPolicy = .group
  /// Largest record accepted (bytes of streams and payload).
  public var maxRecordBytes = 8 << 20
  /// Records between automatic snapshots when a source is set; 0 disables them.
  public var snapshotEvery: UInt64 = 100_000
  /// Recent records kept in memory for readers and followers.
  public var tailCacheBytes = 64 << 20
  /// Most bytes written by one group commit.
  public var maxGroupBytes = 16 << 20
  /// Zero-fill the next segment in the background once the active one holds a quarter of
  /// `segmentBytes` or 1 MiB, whichever is less, so commits write into existing blocks and
  /// their fsync only flushes data; a plain active segment gives way to the prepared file as
  /// soon as it is ready (FORMAT.md, "Preallocation"). Costs `segmentBytes` of extra writes
  /// per segment.
  public var preallocate = true

  public init() {}
}

/// When the journal calls fsync.
public enum FsyncPolicy: Sendable, Equatable {
  /// Once per group commit; nothing is acknowledged before it.
  case group
  /// Never (to measure non-durable throughput; a crash loses acknowledged records).
  case none
}
