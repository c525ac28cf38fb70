import Glibc

/// The thread where objects made on a thread are best released: an event loop installs one for
/// its thread, and a thread that would otherwise drop many of that thread's objects (the
/// journal's writer, after a group) sends them home instead.
///
/// Why: glibc's `free` takes the lock of the arena the chunk came from, and each thread
/// allocates from an arena of its own. The writer freeing a group's entries (made on the event
/// loops) took the loops' arena locks while the loops allocated from them: under ingest load
/// the writer waited on those locks about 4,000 times a second, each wait a `futex` sleep and
/// wake-up, and 85 % of the server's `futex` calls were that.
public final class ReleaseHome: Sendable {
  private let execute: @Sendable (@escaping @Sendable () -> Void) -> Void

  /// `execute` runs a task on the home thread soon (an event loop's `execute`).
  public init(execute: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void) {
    self.execute = execute
  }

  /// Hands `value` to the home thread, which drops it there: its last reference must not be
  /// kept by the caller.
  public func release<Value>(_ value: consuming Value) {
    // Only dropped over there, never used: it need not be `Sendable`.
    nonisolated(unsafe) let value = value
    execute { withExtendedLifetime(value) {} }
  }

  /// The calling thread's home, nil for a thread that installed none.
  public static var current: ReleaseHome? {
    guard let pointer = pthread_getspecific(key) else { return nil }
    return Unmanaged<ReleaseHome>.fromOpaque(pointer).takeUnretainedValue()
  }

  /// Makes `home` the calling thread's home for the rest of the thread's life.
  public static func install(_ home: ReleaseHome) {
    if let old = pthread_getspecific(key) {
      Unmanaged<ReleaseHome>.fromOpaque(old).release()
    }
    pthread_setspecific(key, Unmanaged.passRetained(home).toOpaque())
  }

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    // The destructor releases a thread's home when the thread ends.
    let created = pthread_key_create(&key) { pointer in
      if let pointer { Unmanaged<ReleaseHome>.fromOpaque(pointer).release() }
    }
    precondition(created == 0, "pthread_key_create failed")
    return key
  }()
}
