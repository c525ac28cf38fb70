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

  /// Pins the calling thread to the `index`-th of the CPUs it may run on, as
  /// ``pinCurrentThread(toCore:)`` does, and records it as pinned on purpose so that
  /// ``freeStrayThreads()`` leaves it alone. Returns that CPU's number.
  public static func pinCurrentThread(toCore index: Int) throws(SystemError) -> Int {
    let thread = junction_gettid()
    pinned.withLock { _ = $0.insert(thread) }
    do {
      return try JunctionSystem.pinCurrentThread(toCore: index)
    } catch {
      pinned.withLock { _ = $0.remove(thread) }
      throw error
    }
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
