import Foundation
import JunctionModel

/// Ordered filters with ordered targets, like a case statement: the first filter whose
/// conditions hold picks the conversation; its first target that is not skipped names the
/// queue; when that target's timeout passes without an agent's first reply, the next target
/// takes over; after the last, the fallback queue (`_unmatched`, or `general` when no queues are
/// configured) catches the conversation, as it catches those no filter matched.
///
/// Pure: the caller passes the facts, the time and whether a queue has available agents, and
/// journals the decision it gets back (`conversation.routed`, `conversation.transferred`).
public struct RoutingWorkflow: Sendable, Equatable {
  /// Filters in order; the first that matches wins.
  public var filters: [RoutingFilter]
  /// Every queue, the fallback queue included, in config order.
  public var queues: [QueueDefinition]
  /// Business calendars by id.
  public var calendars: [String: BusinessCalendar]
  /// The queue for conversations no filter matched and for those whose targets ran out.
  public var fallbackQueue: String

  /// A workflow from its parts.
  public init(
    filters: [RoutingFilter], queues: [QueueDefinition], calendars: [String: BusinessCalendar],
    fallbackQueue: String
  ) {
    self.filters = filters
    self.queues = queues
    self.calendars = calendars
    self.fallbackQueue = fallbackQueue
  }

  /// The queue named `id`.
  public func queue(_ id: String) -> QueueDefinition? { queues.first { $0.id == id } }

  /// The calendar of queue `id` (24/7 when it has none or the queue is unknown).
  public func calendar(ofQueue id: String) -> BusinessCalendar {
    queue(id)?.calendar.flatMap { calendars[$0] } ?? .alwaysOpen
  }

  /// Routes a new conversation (or one re-routed after a transfer back to the workflow).
  /// `agentsAvailable(queue)` says whether an agent could take work in that queue now (used by
  /// targets with `skip_if_no_agents`).
  public func route(_ facts: WorkflowFacts, agentsAvailable: (String) -> Bool) -> WorkflowDecision {
    var misses: [FilterMiss] = []
    for (index, filter) in filters.enumerated() {
      let failed = filter.misses(facts, calendars: calendars)
      if failed.isEmpty {
        return choose(
          filter: index, from: 0, facts: facts, misses: misses, passed: [],
          agentsAvailable: agentsAvailable)
      }
      misses.append(FilterMiss(index: index, name: filter.name, misses: failed))
    }
    return fallback(.unmatched, priority: 0, facts: facts, misses: misses, passed: [])
  }

  /// The next step for a conversation whose target timed out: call when `facts.time` has
  /// reached `decision.timeoutAt` and no agent has replied yet. Nil when the decision has no
  /// timeout or it has not passed yet. The decision's filter and target indexes refer to this
  /// workflow: after a config change that reorders filters, route the conversation afresh.
  public func escalate(
    _ decision: WorkflowDecision, facts: WorkflowFacts, agentsAvailable: (String) -> Bool
  ) -> WorkflowDecision? {
    guard let timeoutAt = decision.timeoutAt, facts.time >= timeoutAt,
      let filterIndex = decision.filterIndex, let targetIndex = decision.targetIndex,
      filters.indices.contains(filterIndex),
      filters[filterIndex].targets.indices.contains(targetIndex)
    else { return nil }
    let target = filters[filterIndex].targets[targetIndex]
    let passed =
      decision.passedTargets + [
        PassedTarget(index: targetIndex, queue: target.queue, reason: .timedOut, at: timeoutAt)
      ]
    return choose(
      filter: filterIndex, from: targetIndex + 1, facts: facts, misses: decision.filterMisses,
      passed: passed, agentsAvailable: agentsAvailable)
  }

  private func choose(
    filter index: Int, from start: Int, facts: WorkflowFacts, misses: [FilterMiss],
    passed: [PassedTarget], agentsAvailable: (String) -> Bool
  ) -> WorkflowDecision {
    let filter = filters[index]
    var passed = passed
    for targetIndex in filter.targets.indices.dropFirst(start) {
      let target = filter.targets[targetIndex]
      if target.skipIfNoAgents, !agentsAvailable(target.queue) {
        passed.append(
          PassedTarget(index: targetIndex, queue: target.queue, reason: .noAgents, at: facts.time))
        continue
      }
      let placement = place(target.queue, facts: facts)
      return WorkflowDecision(
        outcome: .matched, filterIndex: index, filterName: filter.name, targetIndex: targetIndex,
        queue: placement.queue, priority: target.priority, decidedAt: facts.time,
        timeoutAt: target.timeout.map { facts.time.adding(seconds: $0) }, filterMisses: misses,
        passedTargets: passed, overflow: placement.overflow, hold: placement.hold)
    }
    let timedOut = passed.contains { $0.reason == .timedOut }
    var decision = fallback(
      timedOut ? .targetsExhausted : .allTargetsSkipped,
      priority: filter.targets.last?.priority ?? 0, facts: facts, misses: misses, passed: passed)
    decision.filterIndex = index
    decision.filterName = filter.name
    return decision
  }

  private func fallback(
    _ outcome: WorkflowDecision.Outcome, priority: Int, facts: WorkflowFacts,
    misses: [FilterMiss], passed: [PassedTarget]
  ) -> WorkflowDecision {
    let placement = place(fallbackQueue, facts: facts)
    return WorkflowDecision(
      outcome: outcome, queue: placement.queue, priority: priority, decidedAt: facts.time,
      filterMisses: misses, passedTargets: passed, overflow: placement.overflow,
      hold: placement.hold)
  }

  /// Follows closed queues' overflow rules from `start`; stops at an open queue, a holding
  /// queue, or a queue already visited.
  private func place(_ start: String, facts: WorkflowFacts)
    -> (queue: String, overflow: [OverflowStep], hold: HoldInstruction?)
  {
    var current = start
    var visited: Set<String> = [start]
    var steps: [OverflowStep] = []
    while let definition = queue(current) {
      let calendar = calendar(ofQueue: current)
      if calendar.isOpen(at: facts.time) { break }
      let opensAt = calendar.nextOpening(after: facts.time)
      switch definition.outsideHours {
      case .overflow(let next) where visited.insert(next).inserted:
        steps.append(OverflowStep(from: current, to: next))
        current = next
        continue
      case .holdReply(let texts):
        let reply = Self.render(
          texts.text(for: facts.language), opensAt: opensAt, calendar: calendar)
        return (current, steps, HoldInstruction(opensAt: opensAt, reply: reply))
      case .wait, .overflow:
        return (current, steps, HoldInstruction(opensAt: opensAt, reply: nil))
      }
    }
    return (current, steps, nil)
  }

  /// Fills `{opens_at}` (local `HH:MM`) and `{opens_on}` (local `YYYY-MM-DD`) in a hold reply.
  static func render(_ text: String, opensAt: Timestamp?, calendar: BusinessCalendar) -> String {
    guard let opensAt else { return text }
    let local = calendar.wallClock(at: opensAt)
    return text.replacingOccurrences(of: "{opens_at}", with: TimeOfDay.text(local.minute))
      .replacingOccurrences(of: "{opens_on}", with: local.date.description)
  }
}
