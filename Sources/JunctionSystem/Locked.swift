import Glibc

/// A value guarded by a glibc adaptive mutex (`PTHREAD_MUTEX_ADAPTIVE_NP`), for the locks on
/// the request path: the live state, the event loops' mailboxes, the journal's tables and the
/// request metrics.
///
/// Why not `Synchronization.Mutex`: on Linux it is a priority-inheritance futex, so every
/// contended acquisition is a `FUTEX_LOCK_PI` system call and a sleep, with no spinning first.
/// These locks are held for microseconds by two event loops and the journal writer at once;
/// profiles of the ingest benchmark had 4 % of the time in the kernel's rt-mutex slow path and
/// Swift's `_lockSlow`. An adaptive mutex spins briefly while the holder runs, and sleeps only
/// when it does not let go.
public final class Locked<Value>: @unchecked Sendable {
  @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
  @usableFromInline var value: Value

  public init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
    pthread_mutex_init(mutex, &attributes)
    pthread_mutexattr_destroy(&attributes)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with the value, holding the lock. Keep it short: no I/O, no waiting.
  @inlinable
  public func withLock<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
