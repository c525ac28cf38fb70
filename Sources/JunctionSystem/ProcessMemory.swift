import CSystemShims
import Glibc

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

  /// The glibc tunable that makes malloc ask for transparent huge pages (`madvise`) for the
  /// memory it takes from the kernel.
  public static let hugePageTunable = "glibc.malloc.hugetlb=1"
  /// Set in the environment of a `serve` that restarted itself, so it restarts at most once.
  public static let restartMarker = "JUNCTION_MALLOC_RESTARTED"

  /// The environment `serve` restarts itself with to get huge pages, or nil when it should
  /// not restart: it already did, or `GLIBC_TUNABLES` already says what `hugetlb` should be
  /// (the operator's choice wins). Other tunables are kept.
  ///
  /// Why: the live state grows by about a kilobyte per inbound message, and each new 4 KiB
  /// page costs the journal's writer a page fault (4–10 µs on a virtual machine whose host
  /// backs guest memory lazily: 27,000 faults in 6 s of the ingest benchmark, a fifth of the
  /// writer's time). With huge pages the same run took 56 faults. glibc reads tunables only
  /// when a process starts, hence the restart. The kernel's own setting still decides
  /// (`/sys/kernel/mm/transparent_hugepage/enabled`: `never` means no huge pages).
  public static func hugePageEnvironment(_ environment: [String: String]) -> [String: String]? {
    guard environment[restartMarker] == nil else { return nil }
    let tunables = environment["GLIBC_TUNABLES"] ?? ""
    let settings = tunables.split(separator: ":")
    guard !settings.contains(where: { $0.hasPrefix("glibc.malloc.hugetlb=") }) else { return nil }
    var restarted = environment
    restarted["GLIBC_TUNABLES"] =
      tunables.isEmpty ? hugePageTunable : tunables + ":" + hugePageTunable
    restarted[restartMarker] = "1"
    return restarted
  }

  /// Replaces this process with a fresh run of its own executable (`/proc/self/exe`), with
  /// `arguments` (the first names the program) and `environment`. The process id, open
  /// descriptors without close-on-exec and signal mask stay. Returns only when `execve`
  /// failed, with the error; the caller goes on as it was.
  public static func restart(arguments: [String], environment: [String: String]) -> SystemError {
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] =
      environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    execve("/proc/self/exe", argv, envp)
    let error = SystemError(call: "execve", errno: errno, context: "/proc/self/exe")
    for pointer in argv + envp { free(pointer) }
    return error
  }
}
