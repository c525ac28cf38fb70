import Dispatch
import JunctionChannels
import JunctionModel
import JunctionSystem
import Synchronization

/// Records concatenated messages whose missing parts never came: every few seconds, each
/// part group older than its channel's `concat_timeout` (default 60 s) becomes a message of
/// the parts that arrived, with `missing_parts` in its details.
final class PartsFlusher: @unchecked Sendable {
  static let defaultTimeout = 60.0

  let writer: StateWriter
  let timeouts: [String: Double]
  let logger: Logger
  private let timer: DispatchSourceTimer
  private let running = Atomic<Bool>(false)

  init(
    writer: StateWriter, adapters: [String: any ChannelAdapter], logger: Logger,
    interval: Double = 2
  ) {
    self.writer = writer
    self.logger = logger
    timeouts = adapters.mapValues {
      $0.instance.settings.double("concat_timeout") ?? Self.defaultTimeout
    }
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "junction.parts"))
    timer.schedule(deadline: .now() + interval, repeating: .milliseconds(Int(interval * 1000)))
    timer.setEventHandler { [weak self] in
      if self?.running.load(ordering: .acquiring) == true { self?.flush() }
    }
    timer.resume()
  }

  func start() { running.store(true, ordering: .releasing) }

  func stop() {
    running.store(false, ordering: .releasing)
    timer.cancel()
  }

  deinit { timer.cancel() }

  /// Joins every group past its timeout (one command per group).
  func flush() {
    let now = writer.clock()
    let due = writer.store.read { state in
      state.partGroups.filter { _, group in
        let timeout = timeouts[group.origin.channel] ?? Self.defaultTimeout
        return Double(now.millis - group.firstAt.millis) / 1000 >= timeout
      }.map(\.key)
    }
    for key in due {
      writer.write({ state, now in
        guard let group = state.partGroups[key] else {
          return .success(WritePlan(outcome: [IngestOutcome]()))
        }
        var planner = IngestPlanner(channel: group.origin.channel, now: now, policy: .init())
        let stream = StreamKey.thread(
          channel: group.origin.channel,
          key: group.origin.threadKey ?? group.origin.sender.externalId)
        planner.condition(stream, state: state)
        planner.planJoined(group, key: key, state: state)
        return .success(planner.plan)
      }) { [logger] result in
        if case .failure(let failure) = result {
          logger.warning(
            "Could not join timed-out message parts.", ["group": key, "error": failure])
        }
      }
    }
  }
}
