import Dispatch
import Foundation
import Testing

@testable import JunctionSystem

/// Runs `body` on a thread of its own (the tests block threads on purpose; Dispatch's pool
/// could run out of them). The group is left when it returns.
private func spawn(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
  group.enter()
  Thread.detachNewThread {
    body()
    group.leave()
  }
}

@Suite(.serialized) struct SharedLockedTests {
  /// Two readers are inside at once: the first waits, holding its read lock, until the second
  /// has entered. With an exclusive lock the second could not enter and the wait would time out.
  @Test func readersShareTheLock() {
    let lock = SharedLocked(42)
    let firstInside = DispatchSemaphore(value: 0)
    let secondInside = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    let overlapped = Locked(false)
    spawn(done) {
      lock.read { value in
        #expect(value == 42)
        firstInside.signal()
        let entered = secondInside.wait(timeout: .now() + 10) == .success
        overlapped.withLock { $0 = entered }
      }
    }
    spawn(done) {
      firstInside.wait()
      lock.read { _ in secondInside.signal() }
    }
    done.wait()
    #expect(overlapped.withLock { $0 })
  }

  /// A writer changes two fields together; readers never see them differ.
  @Test func readersNeverSeeAHalfWrite() {
    struct Pair { var a = 0, b = 0 }
    let lock = SharedLocked(Pair())
    let torn = Locked(0)
    let reads = Locked(0)
    let group = DispatchGroup()
    spawn(group) {
      for _ in 0..<20_000 {
        lock.write { pair in
          pair.a += 1
          for _ in 0..<10 { pair.b = pair.a &- 1 }
          pair.b = pair.a
        }
      }
    }
    for _ in 0..<2 {
      spawn(group) {
        var seen = 0
        var bad = 0
        while seen < 20_000 {
          lock.read { pair in if pair.a != pair.b { bad += 1 } }
          seen += 1
        }
        torn.withLock { [bad] in $0 += bad }
        reads.withLock { [seen] in $0 += seen }
      }
    }
    group.wait()
    #expect(torn.withLock { $0 } == 0)
    #expect(reads.withLock { $0 } == 40_000)
    #expect(lock.read { $0.a } == 20_000)
  }

  /// Two readers that take turns so one is always inside (each leaves only once the other has
  /// entered after it) do not keep a waiting writer out: the lock prefers writers. A lock that
  /// lets readers in past a waiting writer never gets free here, and the write times out.
  @Test func aWaitingWriterIsNotStarvedByReaders() {
    let lock = SharedLocked(0)
    let stop = Locked(false)
    let entries = Locked(0)
    let readers = DispatchGroup()
    let bothInside = DispatchSemaphore(value: 0)
    for _ in 0..<2 {
      spawn(readers) {
        while !stop.withLock({ $0 }) {
          lock.read { _ in
            let mine = entries.withLock {
              $0 += 1
              return $0
            }
            if mine == 2 { bothInside.signal() }
            // Leave once another entry followed this one (at most 1 ms from now).
            let deadline = DispatchTime.now().uptimeNanoseconds + 1_000_000
            while entries.withLock({ $0 }) == mine
              && DispatchTime.now().uptimeNanoseconds < deadline
            {
              sched_yield()
            }
          }
        }
      }
    }
    bothInside.wait()
    let wrote = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      lock.write { $0 = 1 }
      wrote.signal()
    }
    let inTime = wrote.wait(timeout: .now() + 1.5) == .success
    stop.withLock { $0 = true }
    readers.wait()
    if !inTime { wrote.wait() }
    #expect(inTime)
    #expect(lock.read { $0 } == 1)
  }
}

@Suite struct ProcessMemoryTests {
  /// glibc accepts the pad (`mallopt` returns 1), and memory allocated afterwards on a new
  /// thread is usable.
  @Test func topPadIsAccepted() {
    #expect(ProcessMemory.tuneForServer())
    let done = DispatchSemaphore(value: 0)
    let sum = Locked(0)
    Thread.detachNewThread {
      var blocks: [[UInt8]] = []
      for index in 0..<2_000 {
        blocks.append([UInt8](repeating: UInt8(index & 0xff), count: 4_096))
      }
      let total = blocks.reduce(0) { $0 + Int($1[4_095]) }
      sum.withLock { $0 = total }
      done.signal()
    }
    done.wait()
    #expect(sum.withLock { $0 } == (0..<2_000).reduce(0) { $0 + ($1 & 0xff) })
  }

  @Test func hugePagesAreAskedForOnceAndAnOperatorsTunablesWin() {
    let plain = ProcessMemory.hugePageEnvironment(["PATH": "/bin"])
    #expect(
      plain == [
        "PATH": "/bin", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1",
        ProcessMemory.restartMarker: "1",
      ])
    // Other tunables are kept.
    let other = ProcessMemory.hugePageEnvironment(["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"])
    #expect(other?["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
    // Restarted already: no second restart, even if the tunable was removed meanwhile.
    #expect(ProcessMemory.hugePageEnvironment(plain!.filter { $0.key != "GLIBC_TUNABLES" }) == nil)
    // The operator chose (here: no huge pages): nothing to do.
    #expect(
      ProcessMemory.hugePageEnvironment([
        "GLIBC_TUNABLES": "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0"
      ]) == nil)
  }
}
