import CSystemShims
import Glibc

/// Process signal handling for the server: SIGPIPE ignored, SIGTERM/SIGINT/SIGHUP blocked in
/// every thread and received synchronously by whoever calls ``waitForSignal()``.
public enum SignalHandling {
  /// A signal Junction reacts to.
  public enum Signal: Int32, Sendable, CustomStringConvertible {
    case terminate = 15
    case interrupt = 2
    case hangup = 1

    public var description: String {
      switch self {
      case .terminate: return "SIGTERM"
      case .interrupt: return "SIGINT"
      case .hangup: return "SIGHUP"
      }
    }
  }

  /// Call first thing in `main`, before any thread starts: threads inherit the mask, so the
  /// signals reach only ``waitForSignal()``.
  public static func prepareProcess() {
    signal(SIGPIPE, SIG_IGN)
    var set = handledSet()
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Blocks until SIGTERM, SIGINT or SIGHUP arrives and returns it.
  public static func waitForSignal() -> Signal {
    var set = handledSet()
    while true {
      var received: Int32 = 0
      if sigwait(&set, &received) == 0, let signal = Signal(rawValue: received) { return signal }
    }
  }

  /// Blocks until SIGTERM or SIGINT, calling `onHangup` for each SIGHUP in between.
  public static func waitForTermination(onHangup: () -> Void = {}) -> Signal {
    while true {
      let signal = waitForSignal()
      if signal == .hangup {
        onHangup()
        continue
      }
      return signal
    }
  }

  private static func handledSet() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTERM)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGHUP)
    return set
  }
}

/// How many CPUs this process may run on (its affinity mask), at least 1.
public func availableCores() -> Int {
  let count = Int(junction_cpu_count())
  if count > 0 { return count }
  return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Monotonic time in nanoseconds (for timeouts and latency; not wall-clock time).
public func monotonicNanoseconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
