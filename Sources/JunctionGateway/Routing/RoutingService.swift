import Dispatch
import JunctionChannels
import JunctionDelivery
import JunctionJournal
import JunctionModel
import JunctionRouting
import JunctionSystem
import Synchronization

/// The router at run time (issues 5 and 6): routes each new conversation on its first customer
/// message, lets the FAQ bot take its turns, moves conversations on when a target times out and
/// journals SLA warnings and breaches — each a conditional append on the conversation's stream,
/// so a decision is journaled once even when two triggers race.
///
/// Never on the ingest path: the provider's acknowledgement does not wait for routing. Timers
/// are rebuilt from the state on start, so nothing due is missed across a restart. All
/// mutable state lives on `queue`.
final class RoutingService: @unchecked Sendable {
  let writer: StateWriter
  let journal: any Journal
  let adapters: [String: any ChannelAdapter]
  let logger: Logger
  /// SMS keywords (STOP, HELP) are compliance's, not the router's.
  let isKeyword: @Sendable (Message) -> Bool
  private let current: Mutex<RoutingConfiguration>
  private let queue = DispatchQueue(label: "junction.routing")
  private var timers = MinHeap<TimerEntry>()
  private var scheduled: [String: Int64] = [:]
  /// Conversations the FAQ bot is handling (their customer messages go to the bot).
  private var botConversations: Set<String> = []
  private var timer: DispatchSourceTimer?
  /// Whether any SLA policy is configured (a customer message can then start a timer).
  private var slaConfigured: Bool
  /// When the armed `timer` fires (the earliest entry when it was armed).
  private var armedAt: Int64?
  private var running = false
  private let decisions: Counter
  /// Whether a commit of messages to conversations already routed gives the router nothing to
  /// do: it is running, no SLA policy is configured, no timer is pending and the bot has no
  /// conversation. The queue publishes it at the end of each of its blocks; ``inFlight`` counts
  /// the blocks not yet run. When both say so, the journal's writer skips the hop to the queue
  /// (a thread woken on every commit).
  private let quiet = Atomic<Bool>(false)
  private let inFlight = Atomic<Int>(0)

  init(
    configuration: RoutingConfiguration, writer: StateWriter, journal: any Journal,
    adapters: [String: any ChannelAdapter], logger: Logger, metrics: MetricsRegistry,
    isKeyword: @escaping @Sendable (Message) -> Bool = { _ in false }
  ) {
    current = Mutex(configuration)
    slaConfigured = !configuration.queueing.slaPolicies.isEmpty
    self.isKeyword = isKeyword
    self.writer = writer
    self.journal = journal
    self.adapters = adapters
    self.logger = logger
    decisions = metrics.counter(
      "junction_routing_decisions_total", help: "Conversations routed by the router")
  }

  /// The configuration in force.
  var configuration: RoutingConfiguration { current.withLock { $0 } }

  /// Swaps in a new configuration (a reload); later decisions use it.
  func replace(_ configuration: RoutingConfiguration) {
    current.withLock { $0 = configuration }
    enqueue { [self] in
      slaConfigured = !configuration.queueing.slaPolicies.isEmpty
      rescheduleAll()
    }
  }

  var plans: RoutingPlans { RoutingPlans(configuration: configuration, adapters: adapters) }

  /// Routes what a crash left unrouted and arms every timer.
  func start() {
    queue.sync {
      running = true
      let unrouted = writer.store.read { state in
        state.conversations.values.filter {
          $0.conversation.status == .open && state.routing[$0.conversation.id] == nil
            && $0.lastInboundMessageId != nil
        }.map(\.conversation.id)
      }
      botConversations = writer.store.read { state in
        Set(
          state.routing.compactMap { id, record in
            record.bot.map { $0 != .handedOff } == true ? id : nil
          })
      }
      for id in unrouted { routeLater(id) }
      rescheduleAll()
      publishQuiet()
    }
  }

  func shutdown() {
    queue.sync {
      running = false
      timer?.cancel()
      timer = nil
      publishQuiet()
    }
  }

  /// Runs `work` on the queue, counted in ``inFlight`` until it has run and published
  /// ``quiet``.
  private func enqueue(_ work: @escaping @Sendable () -> Void) {
    inFlight.add(1, ordering: .sequentiallyConsistent)
    queue.async { [self] in
      work()
      publishQuiet()
      inFlight.subtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// On the queue.
  private func publishQuiet() {
    quiet.store(
      running && !slaConfigured && scheduled.isEmpty && botConversations.isEmpty,
      ordering: .sequentiallyConsistent)
  }

  /// New records (journal follow handler; quick): a customer message routes its conversation
  /// or goes to the bot; anything touching a routed conversation may move its timers.
  func observe(_ records: [JournalRecord]) {
    var messages: [(conversation: String, record: JournalRecord)] = []
    var created: Set<String> = []
    var routed: [(String, Bool)] = []
    // The writer thread only collects (no hashing per record); the queue dedupes.
    var touched: [String] = []
    for record in records {
      guard let applied = record.context as? AppliedEvent, let id = applied.conversationId else {
        continue
      }
      touched.append(id)
      switch applied.change {
      case .conversationCreated: created.insert(id)
      case .messageRecorded(_, let message, _, _, _) where message.direction == .inbound:
        messages.append((id, record))
      case .conversationChanged(.routed(_, _, _, _, let routing)):
        let active = routing?.bot.map { $0 != .handedOff } ?? false
        routed.append((id, active))
      case .routingFact(.botHandedOff): routed.append((id, false))
      default: break
      }
    }
    guard !touched.isEmpty else { return }
    // Messages to routed conversations while the router is quiet: the block below would find
    // nothing to route, no bot turn and no timer to move. In-flight blocks are counted first,
    // so `quiet` is the state after the last of them.
    if created.isEmpty && routed.isEmpty && inFlight.load(ordering: .sequentiallyConsistent) == 0
      && quiet.load(ordering: .sequentiallyConsistent)
    {
      return
    }
    let found = messages
    let ids = touched
    let (new, decided) = (created, routed)
    enqueue { [self] in
      guard running else { return }
      for (id, active) in decided {
        if active { botConversations.insert(id) } else { botConversations.remove(id) }
      }
      // Only a new conversation's message (to route it) or one the bot handles is read.
      for (id, record) in found where new.contains(id) || botConversations.contains(id) {
        customerMessage(id, record: record)
      }
      // Only conversations with a timer, just routed, or written to by the customer (which
      // starts a next-response timer after an agent's reply, when SLAs are configured) can
      // have their timers move.
      let messaged = slaConfigured ? Set(found.map(\.conversation)) : []
      reschedule(
        Set(ids).filter { id in
          scheduled[id] != nil || messaged.contains(id) || decided.contains(where: { $0.0 == id })
        })
    }
  }

  private func customerMessage(_ id: String, record: JournalRecord) {
    guard let event = try? Event(storedBytes: record.payload, offset: record.sequence),
      let message = event.data["message"].flatMap({ try? Message(json: $0) })
    else { return }
    customerMessage(id, message: message)
  }

  private func customerMessage(_ id: String, message: Message) {
    // Automatic mail (auto-replies, lists) joins a conversation silently: no routing, no bot.
    if message.details["automatic"]?.boolValue == true { return }
    if isKeyword(message) { return }
    let text = message.text ?? message.attachments.compactMap(\.caption).joined(separator: " ")
    let attachments = message.attachments.count
    run(id) { plans, state, now in
      if state.routing[id] == nil {
        return plans.route(
          id, text: text, attachments: attachments, state: state, now: now,
          agentsAvailable: { _ in true })
      }
      return plans.botTurn(id, text: text, state: state, now: now)
    }
  }

  /// Routes a conversation whose message arrived before a crash took the router down.
  private func routeLater(_ id: String) {
    guard let sequences = writer.store.read({ $0.conversations[id]?.eventSequences }),
      let events = try? ConversationView.readEvents(sequences, from: journal),
      let message = ConversationView.messages(from: events).last(where: {
        $0.direction == .inbound
      })
    else { return }
    customerMessage(id, message: message)
  }

  /// Runs a router plan as a command; logs failures (the timers retry what matters).
  private func run(
    _ id: String,
    _ plan: @escaping @Sendable (RoutingPlans, borrowing GatewayState, Timestamp) -> WritePlan<Void>
  ) {
    let plans = plans
    writer.write({ state, now in .success(plan(plans, state, now)) }) { [self] result in
      switch result {
      case .success: decisions.increment()
      case .failure(let failure):
        logger.warning("Routing write failed.", ["conversation": id, "error": failure])
      }
      enqueue { [self] in reschedule(id) }
    }
  }

  // MARK: Timers

  struct TimerEntry: Comparable, Sendable {
    var at: Int64
    var conversation: String
    static func < (lhs: TimerEntry, rhs: TimerEntry) -> Bool { lhs.at < rhs.at }
  }

  private func rescheduleAll() {
    let plans = plans
    let due = writer.store.read { state in
      state.routing.keys.compactMap { id in plans.nextCheck(id, state: state).map { (id, $0) } }
    }
    scheduled = [:]
    timers = MinHeap()
    for (id, at) in due { schedule(id, at: at.millis) }
    arm()
  }

  private func reschedule(_ id: String) { reschedule([id]) }

  /// Recomputes the next check of `ids` (one read of the state for all of a commit's).
  private func reschedule(_ ids: some Collection<String>) {
    guard !ids.isEmpty else { return }
    let plans = plans
    let due = writer.store.read { state in ids.map { ($0, plans.nextCheck($0, state: state)) } }
    for (id, at) in due {
      // Unchanged (most messages): pushing it again would only pile up copies in the heap.
      guard scheduled[id] != at?.millis else { continue }
      scheduled[id] = nil
      if let at { schedule(id, at: at.millis) }
    }
    arm()
  }

  private func schedule(_ id: String, at: Int64) {
    scheduled[id] = at
    timers.push(TimerEntry(at: at, conversation: id))
  }

  private func arm() {
    while let top = timers.peek, scheduled[top.conversation] != top.at { _ = timers.pop() }
    let next = running ? timers.peek : nil
    // The armed timer is kept when the earliest entry did not move.
    if let next, timer != nil, armedAt == next.at { return }
    timer?.cancel()
    timer = nil
    armedAt = nil
    guard let next else { return }
    armedAt = next.at
    let delay = max(0, next.at - writer.clock().millis)
    let source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + .milliseconds(Int(delay)))
    source.setEventHandler { [weak self] in self?.fire() }
    source.resume()
    timer = source
  }

  private func fire() {
    // The one-shot source is spent (it may fire a little early): always arm a new one.
    timer?.cancel()
    timer = nil
    armedAt = nil
    let now = writer.clock().millis
    while let top = timers.peek, top.at <= now {
      _ = timers.pop()
      guard scheduled[top.conversation] == top.at else { continue }
      scheduled[top.conversation] = nil
      let id = top.conversation
      run(id) { plans, state, now in
        plans.timersDue(id, state: state, now: now, agentsAvailable: { _ in true })
      }
    }
    arm()
    publishQuiet()
  }
}
