import CSystemShims

/// How the server process asks glibc's allocator for memory.
public enum ProcessMemory {
  /// Extra room each new malloc heap is made usable with, and the free space kept at the top
  /// of the main heap when memory is handed back.
  public static let topPad = 64 << 20

  /// Call first thing in `serve`, before any thread allocates.
  ///
  /// Why: every thread but the main one allocates from an arena whose heap glibc makes usable
  /// page by page, one `mprotect` each time its top runs out. The live state grows by about a
  /// kilobyte per inbound message, so the ingest benchmark made 0.18–0.29 `mprotect` calls per
  /// request (each one takes the address-space lock that page faults on the other threads
  /// need). With the pad a new arena heap is made usable whole when it is created: the calls
  /// went to zero. Pages that are never touched cost no memory.
  ///
  /// Setting the pad also fixes glibc's threshold for serving an allocation with its own
  /// `mmap` at 128 KiB (it would otherwise rise after the first such block is freed); the hot
  /// paths allocate nothing that large.
  ///
  /// Returns whether glibc accepted it.
  @discardableResult
  public static func tuneForServer() -> Bool {
    junction_malloc_top_pad(Int32(topPad)) == 1
  }
}
