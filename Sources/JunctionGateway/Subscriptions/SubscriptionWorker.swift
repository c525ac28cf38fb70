import Dispatch
import JunctionChannels
import JunctionDelivery
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Delivers one subscription's events. Confined to the dispatcher's queue.
///
/// It walks the main journal from where the ledger says it is finished, keeps the matching
/// events in a ``LaneScheduler`` (one lane per conversation: a conversation's events arrive in
/// order, others do not wait), POSTs them signed, and records every outcome in the ledger
/// before acting on it.
final class SubscriptionWorker: @unchecked Sendable {
  /// Most matching events held in memory at once; scanning pauses beyond it.
  static let window = 1000

  private(set) var subscription: Subscription
  let dispatcher: SubscriptionDispatcher
  private(set) var epoch: UInt64
  private var scanned: UInt64
  private var floorWritten: UInt64
  private var scheduler = LaneScheduler()
  private var payloads: [UInt64: (header: EventHeader, bytes: [UInt8])] = [:]
  private var attempts: [UInt64: Int] = [:]
  private var inFlight = 0
  private var timer: DispatchSourceTimer?
  private(set) var stopped = false

  init(
    subscription: Subscription, progress: DeliveryLedger.Progress?,
    dispatcher: SubscriptionDispatcher
  ) {
    self.subscription = subscription
    self.dispatcher = dispatcher
    epoch = progress?.epoch ?? 0
    let floor = max(progress?.floor ?? 0, epoch == 0 ? subscription.startAfter : 0)
    scanned = floor
    floorWritten = floor
    finishedAbove = progress?.finished ?? []
    retrying = progress?.retrying ?? [:]
  }

  /// Finished events above the floor and pending retries, as recovered from the ledger.
  private var finishedAbove: Set<UInt64>
  private var retrying: [UInt64: DeliveryLedger.Retry]

  /// Events waiting or in flight.
  var pending: Int { scheduler.count }

  func update(_ subscription: Subscription) {
    self.subscription = subscription
    if subscription.isDisabled { pause() } else { pump() }
  }

  /// Starts again from `after` (a replay requested at journal offset `epoch`).
  func replay(after: UInt64, epoch: UInt64) {
    guard epoch > self.epoch else { return }
    self.epoch = epoch
    scheduler = LaneScheduler()
    payloads = [:]
    attempts = [:]
    finishedAbove = []
    retrying = [:]
    scanned = after
    floorWritten = after
    dispatcher.record(.replay(subscription: subscription.id, epoch: epoch, after: after)) { _ in }
    pump()
  }

  func stop() {
    stopped = true
    pause()
  }

  private func pause() {
    timer?.cancel()
    timer = nil
  }

  /// Scans new events, starts due deliveries, writes the floor, arms the timer.
  func pump() {
    guard !stopped, !subscription.isDisabled else { return }
    let now = dispatcher.dependencies.clock().millis
    scan(now: now)
    let limit = dispatcher.dependencies.settings.webhookConcurrency - inFlight
    if limit > 0 {
      for item in scheduler.due(now: now, limit: limit) {
        scheduler.start(item.id)
        inFlight += 1
        deliver(item)
      }
    }
    advanceFloor()
    arm(now: now)
  }

  private func scan(now: Int64) {
    let journal = dispatcher.dependencies.journal
    while scheduler.count < Self.window, scanned < journal.lastSequence {
      guard let batch = try? journal.read(after: scanned, limit: 256), !batch.isEmpty else {
        return
      }
      for record in batch {
        scanned = record.sequence
        guard !finishedAbove.contains(record.sequence),
          let header = EventHeader(storedBytes: record.payload)
        else { continue }
        let queue = header.conversationId.flatMap { id in
          dispatcher.dependencies.store.read { $0.conversations[id]?.conversation.queue }
        }
        guard subscription.matches(type: header.type, queue: queue) else { continue }
        let retry = retrying[record.sequence]
        attempts[record.sequence] = retry?.attempts ?? 0
        payloads[record.sequence] = (
          header, Event.envelope(offset: record.sequence, storedBytes: record.payload)
        )
        scheduler.add(
          LaneScheduler.Item(
            id: String(record.sequence), lane: header.conversationId ?? "_",
            order: record.sequence, dueAt: retry?.nextAt ?? now, group: subscription.id))
        if scheduler.count >= Self.window { return }
      }
    }
  }

  /// Records that every matching event up to the oldest unfinished one is done, so a restart
  /// does not rescan history; written every 100 events or so.
  private func advanceFloor() {
    let oldestPending = payloads.keys.min()
    let floor = oldestPending.map { $0 - 1 } ?? scanned
    guard floor >= floorWritten + 100 || (oldestPending == nil && floor > floorWritten) else {
      return
    }
    floorWritten = floor
    finishedAbove = finishedAbove.filter { $0 > floor }
    retrying = retrying.filter { $0.key > floor }
    dispatcher.record(.floor(subscription: subscription.id, epoch: epoch, offset: floor)) { _ in }
  }

  private func arm(now: Int64) {
    timer?.cancel()
    timer = nil
    guard let due = scheduler.nextDueTime(), due > now else { return }
    let source = DispatchSource.makeTimerSource(queue: dispatcher.queue)
    source.schedule(deadline: .now() + .milliseconds(Int(due - now)))
    source.setEventHandler { [weak self] in self?.pump() }
    source.resume()
    timer = source
  }

  private func deliver(_ item: LaneScheduler.Item) {
    guard let offset = UInt64(item.id), let (header, body) = payloads[offset],
      let signer = dispatcher.dependencies.secrets.signer(for: subscription.id)
    else { return }
    let timestamp = dispatcher.dependencies.clock().unixSeconds
    let request = ProviderRequest(
      url: subscription.url,
      headers: [
        ("Content-Type", "application/json"), ("User-Agent", "Junction-Webhooks/1"),
        ("webhook-id", header.id), ("webhook-timestamp", String(timestamp)),
        ("webhook-signature", signer.signature(id: header.id, timestamp: timestamp, body: body)),
      ], body: body, timeout: dispatcher.dependencies.settings.webhookTimeout)
    let transport = dispatcher.dependencies.transport
    let epoch = epoch
    dispatcher.instruments.attempts.increment()
    dispatcher.inFlight.enter()
    DispatchTaskExecutor.shared.run { [self] in
      let result = await transport.perform(request)
      dispatcher.queue.async { [self] in finished(offset, epoch: epoch, result: result) }
    }
  }

  private func finished(
    _ offset: UInt64, epoch: UInt64, result: Result<ProviderResponse, TransportError>
  ) {
    guard epoch == self.epoch, scheduler.contains(String(offset)) else {
      inFlight = max(0, inFlight - 1)
      dispatcher.inFlight.leave()
      return
    }
    let now = dispatcher.dependencies.clock().millis
    let id = subscription.id
    let record: DeliveryLedger.Record
    var error: String?
    switch result {
    case .success(let response) where (200..<300).contains(response.status):
      record = .delivered(subscription: id, epoch: epoch, offset: offset, at: now)
    case .success(let response):
      error = "HTTP \(response.status)"
      record = failure(offset, error: "HTTP \(response.status)", now: now)
    case .failure(let transportError):
      error = transportError.message
      record = failure(offset, error: transportError.message, now: now)
    }
    dispatcher.record(record) { [self] written in
      inFlight = max(0, inFlight - 1)
      defer { dispatcher.inFlight.leave() }
      guard epoch == self.epoch else { return }
      let key = String(offset)
      switch record {
      case .failed(_, _, _, _, let nextAt, _, _) where written:
        attempts[offset, default: 0] += 1
        scheduler.reschedule(key, dueAt: nextAt)
        dispatcher.instruments.failures.increment()
      case .delivered where written, .gaveUp where written:
        scheduler.finish(key)
        payloads[offset] = nil
        attempts[offset] = nil
        if case .delivered = record {
          dispatcher.instruments.delivered.increment()
        } else {
          dispatcher.instruments.gaveUp.increment()
        }
      default:
        // The ledger could not be written: try the same event again shortly.
        scheduler.reschedule(key, dueAt: now + 5000)
      }
      if error != nil { dispatcher.checkHealth(of: id, now: now) }
      pump()
    }
  }

  private func failure(_ offset: UInt64, error: String, now: Int64) -> DeliveryLedger.Record {
    let attempt = attempts[offset, default: 0] + 1
    guard
      let delay = RetrySchedule.svix.delay(
        afterAttempt: attempt, random: Double.random(in: 0..<1))
    else {
      return .gaveUp(
        subscription: subscription.id, epoch: epoch, offset: offset, error: error, at: now)
    }
    return .failed(
      subscription: subscription.id, epoch: epoch, offset: offset, attempts: attempt,
      nextAt: now + Int64(delay * 1000), error: error, at: now)
  }
}
