import JunctionSystem
import Testing

/// Runs a test (or every test of a suite) on ``DispatchTaskExecutor/shared`` instead of Swift's
/// cooperative pool.
///
/// A synchronous test that blocks for long (a crash loop, a slow-client test, anything that
/// sleeps on a thread) holds one of the pool's threads, and the pool has one per core: on a
/// two-core CI machine two such tests starve every async test of the run, whose deadlines then
/// pass while they wait for a thread. Tests marked `.offCooperativePool` block a Dispatch thread
/// instead. The test still runs as its own task, so `#expect` and task-locals work as usual.
public struct OffCooperativePool: TestTrait, SuiteTrait, TestScoping {
  public var isRecursive: Bool { true }

  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await withTaskExecutorPreference(DispatchTaskExecutor.shared) { try await function() }
  }
}

extension Trait where Self == OffCooperativePool {
  /// See ``OffCooperativePool``.
  public static var offCooperativePool: Self { OffCooperativePool() }
}
