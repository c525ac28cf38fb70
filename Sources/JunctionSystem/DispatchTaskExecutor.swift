import Dispatch

/// A task executor on a concurrent Dispatch queue: Junction's own async work (outbound sends,
/// webhook deliveries, attachment downloads) runs here, never waiting for Swift's global
/// cooperative pool, which code that blocks (a test, an embedding app) can exhaust.
public final class DispatchTaskExecutor: TaskExecutor, @unchecked Sendable {
  private let queue: DispatchQueue

  /// The executor Junction's components share.
  public static let shared = DispatchTaskExecutor(label: "junction.tasks")

  public init(label: String) {
    queue = DispatchQueue(label: label, attributes: .concurrent)
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let unowned = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { unowned.runSynchronously(on: executor) }
  }

  /// Runs `body` as a task on this executor.
  @discardableResult
  public func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> Task<T, Never> {
    Task(executorPreference: self) { await body() }
  }
}
