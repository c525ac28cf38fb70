import Dispatch
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Runs push assignment: after anything that may change who should get what (a conversation
/// routed, transferred, assigned, resolved; an agent updated; an offer answered) and when the
/// next offer expires, it plans with ``PushAssignment`` and journals the result. Coalesced: a
/// burst of events makes one decision. All mutable state lives on `queue`.
final class PushAssigner: @unchecked Sendable {
  let writer: StateWriter
  let routing: RoutingService
  let logger: Logger
  private let queue = DispatchQueue(label: "junction.push")
  private var pending = false
  private var running = false
  private var timer: DispatchSourceTimer?

  init(writer: StateWriter, routing: RoutingService, logger: Logger) {
    self.writer = writer
    self.routing = routing
    self.logger = logger
  }

  var assignment: PushAssignment {
    let plans = routing.plans
    return PushAssignment(configuration: plans.configuration, kinds: plans.channelKind)
  }

  func start() {
    queue.sync { running = true }
    trigger()
  }

  func shutdown() {
    queue.sync {
      running = false
      timer?.cancel()
      timer = nil
    }
  }

  /// Journal follow handler (quick): decide again after relevant changes.
  func observe(_ records: [JournalRecord]) {
    // Nothing to push without a push queue.
    guard routing.configuration.queueing.queues.contains(where: \.push) else { return }
    let relevant = records.contains { record in
      guard let applied = record.context as? AppliedEvent else { return false }
      switch applied.change {
      case .conversationChanged, .agentUpdated, .conversationCreated: return true
      case .messageQueued(_, _, _, let author): return author != "bot" && author != "system"
      default: return false
      }
    }
    if relevant { trigger() }
  }

  func trigger() {
    queue.async { [self] in
      guard running, !pending else { return }
      pending = true
      decide()
    }
  }

  private func decide() {
    let assignment = assignment
    let plans = routing.plans
    writer.write({ state, now in .success(assignment.decide(state: state, now: now, plans: plans)) }
    ) {
      [self] result in
      if case .failure(let failure) = result {
        logger.warning("Push assignment not journaled.", ["error": failure])
      }
      queue.async { [self] in
        pending = false
        arm()
      }
    }
  }

  /// Wakes at the next offer expiry.
  private func arm() {
    timer?.cancel()
    timer = nil
    guard running else { return }
    let assignment = assignment
    guard let next = writer.store.read({ assignment.machine($0).nextDeadline }) else { return }
    let delay = max(0, next.millis - writer.clock().millis) + 5
    let source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + .milliseconds(Int(delay)))
    source.setEventHandler { [weak self] in self?.trigger() }
    source.resume()
    timer = source
  }
}
