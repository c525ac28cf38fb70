import Glibc

/// A value many threads may read at once and one thread at a time may change: a glibc
/// reader-writer lock that prefers writers (a waiting writer holds back new readers, so a
/// steady stream of readers cannot starve it).
///
/// For the live state: both event loops plan requests against it at the same time, and only
/// the journal's writer changes it. Under ``Locked`` the two planners also excluded each other;
/// on the ingest benchmark half of the state lock's futex calls were one loop waiting for the
/// other.
public final class SharedLocked<Value>: @unchecked Sendable {
  @usableFromInline let lock: UnsafeMutablePointer<pthread_rwlock_t>
  @usableFromInline var value: Value

  public init(_ value: Value) {
    self.value = value
    lock = .allocate(capacity: 1)
    var attributes = pthread_rwlockattr_t()
    pthread_rwlockattr_init(&attributes)
    pthread_rwlockattr_setkind_np(
      &attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
    pthread_rwlock_init(lock, &attributes)
    pthread_rwlockattr_destroy(&attributes)
  }

  deinit {
    pthread_rwlock_destroy(lock)
    lock.deallocate()
  }

  /// Runs `body` with the value while other readers may run too. Keep it short: no I/O, and
  /// never take this lock again inside it (a writer waiting in between would deadlock both).
  @inlinable
  public func read<Result, Failure: Error>(
    _ body: (borrowing Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_rwlock_rdlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    return try body(value)
  }

  /// Runs `body` with the value alone: no reader or other writer runs meanwhile.
  @inlinable
  public func write<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_rwlock_wrlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    return try body(&value)
  }
}
