import CSystemShims
import Glibc

/// Threads pinned to a CPU on purpose (event loops), and the repair of threads pinned by
/// accident.
///
/// A new thread inherits the affinity mask of the thread that creates it, and Dispatch starts
/// a pool thread from whichever thread queues work when none is idle. So work an event-loop
/// handler hands to Dispatch can start a pool thread that stays on that loop's one CPU for
/// the rest of its life (`LoopPinningTests` saw five of eight such workers). A pinned loop's
/// sweep calls ``freeStrayThreads()`` to give every thread that holds one CPU and was not
/// pinned on purpose the mask the process started with.
public enum ThreadAffinity {
  private static let pinned = Locked<Set<Int32>>([])

  /// Saves the calling thread's mask as the one stray threads get back. Call from a thread that
  /// is not pinned, before any loop pins itself (a one-CPU mask is not saved).
  public static func rememberFreeMask() {
    _ = junction_save_free_mask()
  }

  /// Pins the calling thread to the `index`-th (modulo their count) of the CPUs it may run on,
  /// and records it as pinned on purpose so that ``freeStrayThreads()`` leaves it alone (the
  /// only way to pin: a thread pinned any other way would be freed again). Returns that CPU's
  /// number.
  public static func pinCurrentThread(toCore index: Int) throws(SystemError) -> Int {
    let thread = junction_gettid()
    // Recorded first, so that a sweep running meanwhile does not free it.
    pinned.withLock { _ = $0.insert(thread) }
    let cpu = junction_pin_thread(Int32(truncatingIfNeeded: index))
    guard cpu >= 0 else {
      let error = SystemError(call: "sched_setaffinity", errno: errno, context: "core \(index)")
      pinned.withLock { _ = $0.remove(thread) }
      throw error
    }
    return Int(cpu)
  }

  /// Forgets the calling thread (an event loop about to end: its id may be reused).
  public static func forgetCurrentThread() {
    let thread = junction_gettid()
    pinned.withLock { _ = $0.remove(thread) }
  }

  /// Gives every thread of this process that holds exactly one CPU, and was not pinned through
  /// ``pinCurrentThread(toCore:)``, the mask ``rememberFreeMask()`` saved. Returns how many
  /// it freed (0 when no mask was saved).
  @discardableResult
  public static func freeStrayThreads() -> Int {
    guard let directory = opendir("/proc/self/task") else { return 0 }
    defer { closedir(directory) }
    let keep = pinned.withLock { $0 }
    var freed = 0
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(cString: bytes.baseAddress!.assumingMemoryBound(to: CChar.self))
      }
      guard let thread = Int32(name), !keep.contains(thread) else { continue }
      if junction_free_thread(thread) == 1 { freed += 1 }
    }
    return freed
  }
}
