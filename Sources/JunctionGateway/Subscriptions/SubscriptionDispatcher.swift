import Dispatch
import JunctionChannels
import JunctionConfig
import JunctionDelivery
import JunctionJournal
import JunctionModel
import JunctionSystem
import Synchronization

/// Delivers events to webhook subscriptions (issue 3, "Event delivery to helpdesks").
///
/// One ``SubscriptionWorker`` per active subscription, all on one serial queue. Delivery
/// outcomes go to the delivery ledger, a second journal under `data/deliveries/`, before the
/// worker acts on them, so after a crash nothing a receiver accepted is sent again, except an
/// event whose 2xx arrived in the instant before the crash (then with the same `webhook-id`).
final class SubscriptionDispatcher: @unchecked Sendable {
  struct Dependencies: Sendable {
    var journal: any Journal
    var store: StateStore
    var writer: StateWriter
    var transport: any ChannelTransport
    var secrets: GatewayKeys
    var clock: @Sendable () -> Timestamp
    var logger: Logger
    var settings: GatewayConfig.DeliverySettings
  }

  let dependencies: Dependencies
  let queue = DispatchQueue(label: "junction.subscriptions")
  let instruments: DeliveryInstruments
  private let ledgerJournal: FileJournal
  private let ledger: LedgerStore
  private var ledgerSubscription: (any JournalSubscription)?
  private var workers: [String: SubscriptionWorker] = [:] {
    didSet { hasWorkers.store(!workers.isEmpty, ordering: .sequentiallyConsistent) }
  }
  /// Whether any worker exists, read on the writer thread: with none, a batch without
  /// subscription changes wakes nobody (no hop to `queue` per commit).
  private let hasWorkers = Atomic<Bool>(false)
  private var disabling: Set<String> = []
  private var wakeScheduled = false
  /// Deliveries in flight (a graceful stop waits for their outcome to be recorded).
  let inFlight = DispatchGroup()

  init(_ dependencies: Dependencies, dataDirectory: String, metrics: MetricsRegistry) throws {
    self.dependencies = dependencies
    instruments = DeliveryInstruments(metrics)
    var options = FileJournalOptions()
    options.snapshotEvery = 20_000
    options.segmentBytes = 16 << 20
    options.tailCacheBytes = 4 << 20
    ledgerJournal = try FileJournal.open(directory: dataDirectory + "/deliveries", options: options)
    let snapshot = ledgerJournal.snapshot
    let restored = snapshot.flatMap { DeliveryLedger(snapshotBytes: $0.state) }
    let position = restored == nil ? 0 : snapshot?.sequence ?? 0
    ledgerJournal.releaseSnapshot()
    ledger = LedgerStore(restored ?? DeliveryLedger(), position: position)
    ledgerJournal.setSnapshotSource(ledger)
    let store = ledger
    ledgerSubscription = try ledgerJournal.follow(after: position) { store.apply($0) }
  }

  /// Starts a worker for every subscription in the state.
  func start() {
    let state = dependencies.store.read { state in
      (Array(state.subscriptions.values), state.replays)
    }
    queue.sync {
      for subscription in state.0 {
        let worker = makeWorker(subscription)
        if let replay = state.1[subscription.id] {
          worker.replay(after: replay.after, epoch: replay.offset)
        }
      }
      for worker in workers.values { worker.pump() }
    }
  }

  /// Follows the main journal: subscription changes reshape the workers; any new event wakes
  /// them (coalesced). Called on the journal's writer thread; must be quick.
  func observe(_ records: [JournalRecord]) {
    var changes: [SubscriptionChange] = []
    for record in records {
      if let applied = record.context as? AppliedEvent,
        case .subscriptionChanged(let change) = applied.change
      {
        // Offsets are known only once committed.
        switch change {
        case .replayed(let id, let after, _):
          changes.append(.replayed(id: id, after: after, offset: record.sequence))
        case .created(var subscription):
          subscription.startAfter = record.sequence
          changes.append(.created(subscription))
        default:
          changes.append(change)
        }
      }
    }
    // Sequentially consistent with the store above: a worker made after this load pumps
    // after it, and so reads these records itself.
    guard !changes.isEmpty || hasWorkers.load(ordering: .sequentiallyConsistent) else { return }
    let found = changes
    queue.async { [self] in
      for change in found { apply(change) }
      guard !wakeScheduled else { return }
      wakeScheduled = true
      queue.async { [self] in
        wakeScheduled = false
        for worker in workers.values { worker.pump() }
      }
    }
  }

  private func apply(_ change: SubscriptionChange) {
    switch change {
    case .created(let subscription):
      let worker = workers[subscription.id] ?? makeWorker(subscription)
      worker.pump()
    case .deleted(let id):
      workers.removeValue(forKey: id)?.stop()
      record(.removed(subscription: id)) { _ in }
    case .replayed(let id, let after, let offset):
      workers[id]?.replay(after: after, epoch: offset)
    case .disabled(let id, _), .enabled(let id):
      disabling.remove(id)
      if case .enabled = change { record(.enabled(subscription: id)) { _ in } }
      if let subscription = dependencies.store.read({ $0.subscriptions[id] }) {
        workers[id]?.update(subscription)
      }
    }
  }

  private func makeWorker(_ subscription: Subscription) -> SubscriptionWorker {
    let worker = SubscriptionWorker(
      subscription: subscription, progress: ledger.progress(subscription.id), dispatcher: self)
    workers[subscription.id] = worker
    return worker
  }

  /// Appends a ledger record; `completion` runs on the dispatcher queue with whether it is
  /// durable.
  func record(_ record: DeliveryLedger.Record, completion: @escaping (Bool) -> Void) {
    nonisolated(unsafe) let completion = completion
    ledgerJournal.append([JournalEntry(payload: record.encoded(), context: record)], conditions: [])
    { [self] result in
      if case .failure(let error) = result {
        dependencies.logger.warning("Delivery ledger write failed.", ["error": error])
      }
      let written = (try? result.get()) != nil
      queue.async { completion(written) }
    }
  }

  /// Disables a subscription that has been failing for longer than allowed (once).
  func checkHealth(of id: String, now: Int64) {
    guard let since = ledger.progress(id)?.failingSince,
      Double(now - since) / 1000 >= dependencies.settings.disableAfter, !disabling.contains(id)
    else { return }
    disabling.insert(id)
    let reason = "deliveries failing since \(Timestamp(millis: since).rfc3339)"
    SubscriptionCommands.disable(id, reason: reason, writer: dependencies.writer) { [self] ok in
      queue.async { [self] in
        if !ok { disabling.remove(id) }
      }
    }
    dependencies.logger.warning("Subscription disabled.", ["subscription": id, "reason": reason])
  }

  /// Delivery figures of one subscription, for the API.
  func status(of id: String) -> JSON {
    let progress = ledger.progress(id) ?? DeliveryLedger.Progress()
    let pending = queue.sync { workers[id]?.pending ?? 0 }
    var object: JSONObject = [
      "delivered": .int(progress.delivered), "gave_up": .int(progress.gaveUp),
      "pending": .int(Int64(pending)), "delivered_up_to": .int(Int64(progress.floor)),
    ]
    object["failing_since"] = progress.failingSince.map { Timestamp(millis: $0).json } ?? .null
    object["last_error"] = .optional(progress.lastError)
    object["last_success_at"] = progress.lastSuccessAt.map { Timestamp(millis: $0).json } ?? .null
    return .object(object)
  }

  /// Stops the workers, waits (up to `timeout` seconds) for deliveries in flight to be
  /// recorded, and closes the ledger.
  func shutdown(timeout: Double = 5) {
    queue.sync {
      for worker in workers.values { worker.stop() }
    }
    _ = inFlight.wait(timeout: .now() + timeout)
    ledgerSubscription?.cancel()
    try? ledgerJournal.snapshotNow()
    ledgerJournal.close()
  }
}

/// The ledger's in-memory state, kept in step with the ledger journal.
final class LedgerStore: JournalSnapshotSource, @unchecked Sendable {
  private let state: Mutex<(ledger: DeliveryLedger, position: UInt64)>

  init(_ ledger: DeliveryLedger, position: UInt64) { state = Mutex((ledger, position)) }

  var position: UInt64 { state.withLock { $0.position } }

  func progress(_ id: String) -> DeliveryLedger.Progress? {
    state.withLock { $0.ledger.progress[id] }
  }

  func apply(_ records: [JournalRecord]) {
    let decoded = records.map { record in
      (record.context as? DeliveryLedger.Record) ?? DeliveryLedger.Record(bytes: record.payload)
    }
    state.withLock { state in
      for (record, item) in zip(records, decoded) {
        if let item { state.ledger.apply(item) }
        state.position = record.sequence
      }
    }
  }

  func captureSnapshot(at sequence: UInt64) -> any JournalSnapshotState {
    LedgerSnapshot(ledger: state.withLock { $0.ledger })
  }
}

struct LedgerSnapshot: JournalSnapshotState {
  let ledger: DeliveryLedger
  func serialized() -> [UInt8] { ledger.snapshotBytes() }
}

/// Webhook delivery metrics.
struct DeliveryInstruments: Sendable {
  let attempts: Counter
  let delivered: Counter
  let failures: Counter
  let gaveUp: Counter

  init(_ metrics: MetricsRegistry) {
    attempts = metrics.counter(
      "junction_webhook_attempts_total", help: "Event deliveries attempted to subscriptions")
    delivered = metrics.counter(
      "junction_webhook_delivered_total", help: "Events delivered to subscriptions")
    failures = metrics.counter(
      "junction_webhook_failures_total", help: "Failed event delivery attempts")
    gaveUp = metrics.counter(
      "junction_webhook_gave_up_total", help: "Events given up after every retry failed")
  }
}
