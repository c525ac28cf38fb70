import Dispatch
import JunctionSystem
import Synchronization

/// Prepares the next segment file ahead of the roll: `segments/preallocated.tmp`, written full
/// of zeros to ``FileJournalOptions/segmentBytes`` and fsynced, on a background queue.
///
/// Why: an append that grows a file changes its size, so every `fdatasync` after it also commits
/// the file system's journal (ext4's jbd2 thread), and on a busy machine that thread waits for
/// a CPU: measured here with four busy loops, 600–1,000 fdatasyncs/s for appends against
/// 4,000–5,000/s for writes into blocks that already exist. Writing inside a zero-filled file
/// changes neither its size nor its block map, so the sync only flushes data. Fallocate would
/// not do: its blocks are "unwritten" and the first write into each converts it, another
/// journal commit.
///
/// The roll takes the prepared file if it is ready and otherwise creates a plain segment as
/// before (the writer never waits for zeros). A file left by a crash ends in `.tmp` and is
/// deleted on open; a sealed segment is truncated to its records at the roll; a zero tail in
/// the active segment is where its records end (FORMAT.md, "Preallocation").
final class SegmentPreallocator: Sendable {
  enum State: Sendable {
    case idle
    case preparing
    /// ``path`` holds a prepared file.
    case ready
    /// The last attempt failed (a full disk) at this monotonic time: no new attempt for
    /// ``retryAfterFailure`` — each one would fill the disk again before giving up, and take
    /// the space appends to a plain segment need.
    case failed(at: UInt64)
  }

  static let retryAfterFailure: UInt64 = 30_000_000_000

  static let fileName = "preallocated.tmp"

  let path: String
  let bytes: Int
  let fs: any FileSystem
  private let state = Mutex<State>(.idle)
  private let queue = DispatchQueue(label: "junction.journal.preallocate", qos: .utility)

  init(segmentsDirectory: String, bytes: Int, fs: any FileSystem) {
    path = segmentsDirectory + "/" + Self.fileName
    self.bytes = bytes
    self.fs = fs
  }

  /// Starts preparing a file unless one is ready or being prepared.
  func prepare() {
    let start = state.withLock { state -> Bool in
      switch state {
      case .idle: break
      case .failed(let at) where monotonicNanoseconds() - at >= Self.retryAfterFailure: break
      default: return false
      }
      state = .preparing
      return true
    }
    guard start else { return }
    queue.async { [self] in
      let prepared = zeroFill()
      state.withLock { $0 = prepared ? .ready : .failed(at: monotonicNanoseconds()) }
    }
  }

  /// Whether a prepared file is waiting to be taken.
  var isReady: Bool {
    state.withLock { state in
      if case .ready = state { return true }
      return false
    }
  }

  /// The prepared file's path, handed over once (nil when none is ready).
  func take() -> String? {
    state.withLock { state -> String? in
      guard case .ready = state else { return nil }
      state = .idle
      return path
    }
  }

  /// Waits for a preparation in progress (before the journal closes).
  func waitUntilIdle() { queue.sync {} }

  /// Bytes written between syncs: every sync of the zeros sits in the device queue ahead of
  /// the commits' fsyncs. One sync of 64 MiB stalled commits 100 ms and more; 4 MiB at a time
  /// still doubled the ingest p99 at 64 connections (6–7 ms against 3.4–4 ms with no zeros on
  /// this machine's ext4 without a journal, 13–16 ms on ext4 with one); 256 KiB keeps it at
  /// 3.9–4.9 ms on both (a 1 ms pause after each sync made no difference).
  static let syncEvery = 256 << 10

  /// Writes the file in ``syncEvery`` pieces, each synced; on failure (a full disk) removes
  /// it.
  private func zeroFill() -> Bool {
    do throws(SystemError) {
      let file = try fs.open(path, create: true)
      defer { fs.close(file) }
      try fs.truncate(file, to: 0)
      let zeros = [UInt8](repeating: 0, count: Self.syncEvery)
      var offset = 0
      while offset < bytes {
        let count = min(zeros.count, bytes - offset)
        try zeros.withUnsafeBytes { raw in
          Result { () throws(SystemError) in
            try fs.write(file, UnsafeRawBufferPointer(rebasing: raw[0..<count]), at: Int64(offset))
          }
        }.get()
        offset += count
        try fs.sync(file)
      }
      return true
    } catch {
      try? fs.remove(path)
      return false
    }
  }
}
