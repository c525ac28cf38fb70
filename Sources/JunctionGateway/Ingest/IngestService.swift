import JunctionChannels
import JunctionModel

/// Stores inbound items durably through the ``StateWriter``: plan against current state,
/// append conditionally, re-plan on conflict. Completion runs once the items are durable (or
/// definitely not written).
struct IngestService: Sendable {
  let writer: StateWriter
  let policy: IngestPlanner.Policy

  /// Journals `items` for `channel`; `completion` gets one outcome per item, on the journal's
  /// writer thread (or the caller's, when nothing needs writing).
  func ingest(
    _ items: [InboundItem], channel: String,
    completion: @escaping @Sendable (Result<[IngestOutcome], CommandFailure>) -> Void
  ) {
    let policy = policy
    writer.write(
      { state, now in
        .success(
          IngestPlanner.plan(items, channel: channel, state: state, now: now, policy: policy))
      }, completion: completion)
  }
}
