import Dispatch
import JunctionChannels
import JunctionConfig
import JunctionDelivery
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Carries queued outbound messages out through their channel adapters (issue 3, "Outbox").
///
/// The outbox is the journal: `message.queued` adds a message, `message.retrying` delays it,
/// `message.sent`/`message.failed` end it. This runner mirrors that into a ``LaneScheduler``
/// (one lane per conversation, so a customer receives replies in order), starts sends as
/// rate limits allow, and journals each outcome. After a restart it resumes from the state.
/// All mutable state lives on `queue`.
final class OutboxRunner: @unchecked Sendable {
  struct Dependencies: Sendable {
    var journal: any Journal
    var store: StateStore
    var writer: StateWriter
    var adapters: [String: any ChannelAdapter]
    var transport: any ChannelTransport
    var clock: @Sendable () -> Timestamp
    var logger: Logger
    var metrics: MetricsRegistry
    var settings: GatewayConfig.DeliverySettings
    var links: BlobLinks
  }

  let dependencies: Dependencies
  private let queue = DispatchQueue(label: "junction.outbox")
  private var scheduler = LaneScheduler()
  private var buckets: [String: TokenBucket] = [:]
  /// Per-recipient buckets with when each was last used (idle ones are dropped).
  private var recipientBuckets: [String: (bucket: TokenBucket, used: Double)] = [:]
  private var inFlight: [String: Int] = [:]
  private var timer: DispatchSourceTimer?
  private var stopping = false
  private let idle = DispatchGroup()
  private let schedule: RetrySchedule
  private let instruments: OutboxInstruments

  init(_ dependencies: Dependencies) {
    self.dependencies = dependencies
    schedule = .exponential(total: dependencies.settings.sendRetryFor)
    instruments = OutboxInstruments(dependencies.metrics)
  }

  /// Loads what the state says is pending and starts sending.
  func start() {
    let pending = dependencies.store.read { Array($0.outbox.values) }
    let now = dependencies.clock().millis
    queue.async { [self] in
      for entry in pending { add(entry, now: now) }
      pump()
    }
  }

  /// Mirrors committed outbox changes (journal follow handler; must be quick).
  func observe(_ records: [JournalRecord]) {
    var found: [(StateChange, UInt64)] = []
    for record in records {
      guard let applied = record.context as? AppliedEvent else { continue }
      switch applied.change {
      case .messageQueued, .sendRetrying, .statusChanged:
        found.append((applied.change, record.sequence))
      default:
        continue
      }
    }
    guard !found.isEmpty else { return }
    let now = dependencies.clock().millis
    let changes = found
    queue.async { [self] in
      for (change, offset) in changes {
        switch change {
        case .messageQueued(let id, let record, _, _):
          add(
            GatewayState.OutboxEntry(
              messageId: id, conversationId: record.conversationId, channel: record.channel,
              queuedOffset: offset, attempts: 0, notBefore: nil), now: now)
        case .sendRetrying(let id, _, let retryAt, _):
          scheduler.reschedule(id, dueAt: retryAt.millis)
        case .statusChanged(let id, let status, _) where status == .sent || status == .failed:
          if scheduler.contains(id) { scheduler.finish(id) }
        default:
          break
        }
      }
      pump()
    }
  }

  /// Stops starting sends and waits (up to `timeout` seconds) for those in flight.
  func shutdown(timeout: Double = 5) {
    queue.sync {
      stopping = true
      timer?.cancel()
      timer = nil
    }
    _ = idle.wait(timeout: .now() + timeout)
  }

  /// Messages waiting or in flight (for `/healthz` and tests).
  var pendingCount: Int { queue.sync { scheduler.count } }

  private func add(_ entry: GatewayState.OutboxEntry, now: Int64) {
    scheduler.add(
      LaneScheduler.Item(
        id: entry.messageId, lane: entry.conversationId, order: entry.queuedOffset,
        dueAt: entry.notBefore?.millis ?? now, group: entry.channel))
  }

  /// Starts every send that is due and allowed; arms the timer for the next one.
  private func pump() {
    guard !stopping else { return }
    let now = dependencies.clock().millis
    var nextWake = scheduler.nextDueTime()
    for item in scheduler.due(now: now) {
      let concurrency = inFlight[item.group, default: 0]
      guard concurrency < dependencies.settings.sendConcurrency else { continue }
      switch takeToken(channel: item.group, lane: item.lane, now: now) {
      case .granted:
        scheduler.start(item.id)
        inFlight[item.group] = concurrency + 1
        launch(item)
      case .wait(let seconds):
        let at = now + Int64(seconds * 1000) + 1
        nextWake = min(nextWake ?? at, at)
      }
    }
    if scheduler.runningCount > 0, let wake = nextWake, wake <= now { nextWake = now + 50 }
    arm(at: nextWake, now: now)
  }

  /// A token from the channel's bucket and, when the channel limits each recipient too
  /// (Telegram: one message per second per chat), from the conversation's.
  private func takeToken(channel: String, lane: String, now: Int64) -> TokenBucket.TakeResult {
    let seconds = Double(now) / 1000
    let adapter = dependencies.adapters[channel]
    let capabilities = adapter.map { type(of: $0).manifest.capabilities }
    if buckets[channel] == nil {
      let rate =
        adapter?.instance.settings.double("rate_per_second") ?? capabilities?.ratePerSecond ?? 10
      buckets[channel] = TokenBucket(rate: max(rate, 0.001), now: seconds)
    }
    guard let perRecipient = capabilities?.ratePerRecipientPerSecond else {
      return buckets[channel]?.take(now: seconds) ?? .granted
    }
    let key = channel + "\u{1F}" + lane
    var recipient = recipientBuckets[key]?.bucket ?? TokenBucket(rate: perRecipient, now: seconds)
    defer {
      recipientBuckets[key] = (recipient, seconds)
      if recipientBuckets.count > 10_000 {
        // A bucket idle for longer than it takes to refill is full: forgetting it changes nothing.
        let idle = max(10, 2 / perRecipient)
        recipientBuckets = recipientBuckets.filter { seconds - $0.value.used < idle }
      }
    }
    if case .wait(let wait) = recipient.take(now: seconds) { return .wait(wait) }
    let result = buckets[channel]?.take(now: seconds) ?? .granted
    if case .wait = result { recipient.giveBack(now: seconds) }
    return result
  }

  private func arm(at wake: Int64?, now: Int64) {
    timer?.cancel()
    timer = nil
    guard let wake else { return }
    let source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + .milliseconds(Int(max(0, wake - now))))
    source.setEventHandler { [weak self] in self?.pump() }
    source.resume()
    timer = source
  }

  private func launch(_ item: LaneScheduler.Item) {
    idle.enter()
    instruments.attempts.increment()
    let dependencies = dependencies
    DispatchTaskExecutor.shared.run { [self] in
      let outcome = await OutboxAttempt(dependencies: dependencies, messageId: item.id).run()
      self.record(outcome, for: item)
    }
  }

  /// Journals an attempt's outcome; the journal's follow handler then updates the scheduler.
  private func record(_ outcome: OutboxAttempt.Outcome, for item: LaneScheduler.Item) {
    let retry = outcome.retryDelay(schedule: schedule, random: Double.random(in: 0..<1))
    dependencies.writer.write(
      { state, now in .success(outcome.plan(state: state, now: now, retryDelay: retry)) }
    ) { [self] result in
      queue.async { [self] in
        inFlight[item.group, default: 1] -= 1
        switch result {
        case .success:
          instruments.count(outcome)
          // The follow handler has already mirrored what was journaled; an item still
          // running was not (the message ended some other way meanwhile).
          if scheduler.isRunning(item.id) {
            if dependencies.store.read({ $0.outbox[item.id] }) == nil {
              scheduler.finish(item.id)
            } else {
              scheduler.reschedule(item.id, dueAt: dependencies.clock().millis + 1000)
            }
          }
        case .failure(let failure):
          // Not journaled (disk full?): try the same message again shortly; the provider's
          // idempotency key keeps a resend harmless.
          dependencies.logger.warning(
            "Could not journal a send outcome.", ["message_id": item.id, "error": failure])
          scheduler.reschedule(item.id, dueAt: dependencies.clock().millis + 5000)
        }
        pump()
        idle.leave()
      }
    }
  }
}

/// The outbox's metrics.
struct OutboxInstruments: Sendable {
  let attempts: Counter
  let sent: Counter
  let retried: Counter
  let failed: Counter

  init(_ metrics: MetricsRegistry) {
    attempts = metrics.counter("junction_outbox_attempts_total", help: "Outbound send attempts")
    sent = metrics.counter("junction_outbox_sent_total", help: "Outbound messages sent")
    retried = metrics.counter(
      "junction_outbox_retries_total", help: "Outbound attempts that will be retried")
    failed = metrics.counter("junction_outbox_failed_total", help: "Outbound messages failed")
  }

  func count(_ outcome: OutboxAttempt.Outcome) {
    switch outcome {
    case .sent: sent.increment()
    case .retry: retried.increment()
    case .failed, .abandoned: failed.increment()
    }
  }
}
