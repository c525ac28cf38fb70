import Foundation
import JunctionSystem
import Synchronization
import Testing

/// How many canaries were dropped.
final class Drops: Sendable {
  private let value = Atomic<Int>(0)
  var count: Int { value.load(ordering: .sequentiallyConsistent) }
  func add() { value.add(1, ordering: .sequentiallyConsistent) }
}

/// Counts its deinit.
final class Canary: Sendable {
  let drops: Drops
  init(_ drops: Drops) { self.drops = drops }
  deinit { drops.add() }
}

/// A home whose tasks wait in a list until the test runs them.
final class HeldTasks: Sendable {
  let tasks = Mutex<[@Sendable () -> Void]>([])
  var home: ReleaseHome { ReleaseHome { task in self.tasks.withLock { $0.append(task) } } }
  func runAll() {
    for task in tasks.withLock({ tasks in
      defer { tasks = [] }
      return tasks
    }) { task() }
  }
}

/// Runs `body` on a new thread and waits for it.
func onNewThread(_ body: @escaping @Sendable () -> Void) {
  let done = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    body()
    done.signal()
  }
  done.wait()
}

@Suite struct ReleaseHomeTests {
  @Test func aThreadSeesOnlyTheHomeItInstalled() {
    let held = HeldTasks()
    let home = held.home
    let seen = Mutex<(ReleaseHome?, ReleaseHome?)>((nil, nil))
    onNewThread {
      let before = ReleaseHome.current
      ReleaseHome.install(home)
      seen.withLock { $0 = (before, ReleaseHome.current) }
    }
    #expect(seen.withLock { $0.0 } == nil)
    #expect(seen.withLock { $0.1 } === home)
    onNewThread { seen.withLock { $0.0 = ReleaseHome.current } }
    #expect(seen.withLock { $0.0 } == nil)
  }

  @Test func aReleasedValueIsDroppedByItsHomeNotByTheCaller() {
    let held = HeldTasks()
    let dropped = Drops()
    var values = [Canary(dropped), Canary(dropped)]
    held.home.release(values)
    values = []
    #expect(dropped.count == 0)
    held.runAll()
    #expect(dropped.count == 2)
  }
}
