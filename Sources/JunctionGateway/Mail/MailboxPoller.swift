import Dispatch
import JunctionChannels
import JunctionJournal
import JunctionModel
import JunctionSystem
import Synchronization

/// Polls one e-mail channel's mailbox: the thin I/O shell around
/// ``MailboxPollerStateMachine``. One task on Junction's own executor runs cycles and sleeps
/// in between; every message is journaled (with the cursor) before it is marked `\Seen` or
/// moved. Failures back off and show in `/healthz` and `/metrics`.
///
/// Note: fetching uses `UID FETCH n BODY[]`, which sets `\Seen` on the server as it reads;
/// what the poller trusts is the journaled cursor, not the flag.
final class MailboxPoller: Sendable {
  struct Metrics: Sendable {
    let ok: Counter
    let failed: Counter
    let messages: Counter
    let skipped: Counter
    let resyncs: Counter
    let failures: Gauge

    init(_ registry: MetricsRegistry, channel: String) {
      let labels = [("channel", channel)]
      ok = registry.counter(
        "junction_mailbox_polls_total", help: "IMAP poll cycles",
        labels: labels + [("result", "ok")])
      failed = registry.counter(
        "junction_mailbox_polls_total", help: "IMAP poll cycles",
        labels: labels + [("result", "error")])
      messages = registry.counter(
        "junction_mailbox_messages_total", help: "Mail journaled from IMAP", labels: labels)
      skipped = registry.counter(
        "junction_mailbox_skipped_total", help: "Mail left in the mailbox (too large, gone)",
        labels: labels)
      resyncs = registry.counter(
        "junction_mailbox_resyncs_total", help: "UIDVALIDITY changes", labels: labels)
      failures = registry.gauge(
        "junction_mailbox_consecutive_failures", help: "Failed IMAP polls in a row", labels: labels)
    }
  }

  let channel: String
  let adapter: any MailChannelAdapter
  let settings: MailboxSettings
  let session: any MailboxSession
  let intake: MailIntake
  let journal: any Journal
  let logger: Logger
  let clock: @Sendable () -> Timestamp
  let metrics: Metrics
  private let machine: Mutex<MailboxPollerStateMachine>
  private let task = Mutex<Task<Void, Never>?>(nil)
  private let folderReady = Atomic<Bool>(false)

  // swift-format-ignore: ParameterCount
  init(
    channel: String, adapter: any MailChannelAdapter, settings: MailboxSettings,
    session: any MailboxSession, intake: MailIntake, journal: any Journal, logger: Logger,
    clock: @escaping @Sendable () -> Timestamp, metrics: MetricsRegistry, backoffBase: Double = 5
  ) throws(JournalError) {
    self.channel = channel
    self.adapter = adapter
    self.settings = settings
    self.session = session
    self.intake = intake
    self.journal = journal
    self.logger = logger
    self.clock = clock
    self.metrics = Metrics(metrics, channel: channel)
    let (cursor, version) = try MailboxCursor.load(channel: channel, journal: journal)
    machine = Mutex(
      MailboxPollerStateMachine(
        pollInterval: settings.pollInterval, movesMail: settings.processedFolder != nil,
        cursor: cursor, cursorVersion: version, backoffBase: backoffBase))
  }

  /// Starts polling (the first cycle at once).
  func start() {
    let first = machine.withLock { $0.started(now: clock()) }
    task.withLock { task in
      task = DispatchTaskExecutor.shared.run { [self] in await run(first) }
    }
  }

  /// Stops after the command in progress; waits up to `timeout` seconds for that.
  func stop(timeout: Double = 5) {
    machine.withLock { $0.stop() }
    guard let running = task.withLock({ $0 }) else { return }
    running.cancel()
    let done = DispatchSemaphore(value: 0)
    let session = session
    // Junction's own executor, not the cooperative pool: the caller may be blocking one of its
    // threads (a synchronous shutdown).
    DispatchTaskExecutor.shared.run {
      await running.value
      await session.disconnect()
      done.signal()
    }
    _ = done.wait(timeout: .now() + timeout)
  }

  /// The problem `/healthz` reports, nil while polling works.
  var problem: String? { machine.withLock { $0.problem } }

  /// Details for `/healthz`.
  var details: JSON {
    machine.withLock { state in
      [
        "mailbox": .string(settings.mailbox),
        "uidvalidity": state.cursor.map { .int(Int64($0.uidValidity)) } ?? .null,
        "last_uid": state.cursor.map { .int(Int64($0.lastUID)) } ?? .null,
        "consecutive_failures": .int(Int64(state.consecutiveFailures)),
      ]
    }
  }

  private func run(_ first: MailboxPollerStateMachine.Action) async {
    var action = first
    while true {
      switch action {
      case .stop:
        return
      case .poll:
        let failure = await cycle()
        let now = clock()
        action = machine.withLock { state in
          failure.map { state.failed(now: now, reason: $0) } ?? state.succeeded(now: now)
        }
        let failures = machine.withLock { $0.consecutiveFailures }
        metrics.failures.set(failures)
        if let failure {
          metrics.failed.increment()
          logger.warning(
            "Mailbox poll failed.", ["channel": channel, "error": failure, "failures": failures])
        } else {
          metrics.ok.increment()
        }
      case .sleep(let until):
        let delay = max(0, until.millis - clock().millis)
        do {
          try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
        } catch {
          return
        }
        action = machine.withLock { $0.timerFired(now: clock()) }
      }
    }
  }

  /// One cycle; the reason it failed, nil on success.
  private func cycle() async -> String? {
    let mailbox = settings.mailbox
    do {
      if let folder = settings.processedFolder, !folderReady.load(ordering: .relaxed) {
        try await session.createMailboxIfMissing(folder)
        folderReady.store(true, ordering: .relaxed)
      }
      let status = try await session.select(mailbox)
      let (search, resyncsBefore, pending) = machine.withLock { state in
        let before = state.resyncs
        let search = state.selected(status)
        return (search, before, state.pendingPostActions)
      }
      if machine.withLock({ $0.resyncs }) > resyncsBefore {
        metrics.resyncs.increment()
        logger.warning(
          "Mailbox UIDVALIDITY changed; resynchronising.", ["channel": channel, "mailbox": mailbox])
      }
      if !pending.isEmpty {
        try await postActions(pending)
        machine.withLock { $0.postActionsDone() }
      }
      let found = try await session.searchUIDs(in: mailbox, criteria: search.criteria)
      var queue = machine.withLock { $0.toFetch(found) }[...]
      while !queue.isEmpty {
        if Task.isCancelled { return nil }
        let batch = Array(queue.prefix(max(1, settings.batchSize)))
        queue = queue.dropFirst(batch.count)
        if let failure = try await journalBatch(batch, validity: status.uidValidity ?? 0) {
          return failure
        }
      }
      return nil
    } catch {
      return error.description
    }
  }

  /// Fetches, parses and journals `batch` with its cursor, then does its post-actions.
  private func journalBatch(_ batch: [UInt32], validity: UInt32) async throws(MailboxError)
    -> String?
  {
    var parsed: [ParsedMail] = []
    var fetched: [UInt32] = []
    var skipped: [UInt32] = []
    for uid in batch {
      do {
        let raw = try await session.fetchMessage(
          uid: uid, in: settings.mailbox, maxBytes: adapter.maxMessageBytes)
        let mail = adapter.parseMail(raw)
        if let note = mail.note, mail.item == nil {
          logger.info("Mail not kept.", ["channel": channel, "uid": uid, "reason": note])
        }
        parsed.append(mail)
        fetched.append(uid)
      } catch  where error.kind == .tooLarge || error.kind == .notFound {
        logger.warning(
          "Mail left in the mailbox.", ["channel": channel, "uid": uid, "error": error])
        metrics.skipped.increment()
        skipped.append(uid)
      }
    }
    let cursor = MailboxCursor(uidValidity: validity, lastUID: batch.max() ?? 0, uids: fetched)
    let version = machine.withLock { $0.cursorVersion }
    let advance = MailIntake.Advance(
      mailbox: settings.mailbox, cursor: cursor, skipped: skipped, expectedVersion: version)
    switch await intake.ingest(parsed, channel: channel, advance: advance) {
    case .success:
      machine.withLock { $0.journaled(cursor, version: version + 1) }
      metrics.messages.increment(by: fetched.count)
    case .failure(let failure):
      if let reloaded = try? MailboxCursor.load(channel: channel, journal: journal),
        reloaded.version != version
      {
        machine.withLock { $0.reloaded(reloaded.cursor, version: reloaded.version) }
      }
      return
        "journal: \(failure.response.status) \(String(decoding: failure.response.body, as: UTF8.self))"
    }
    try await postActions(fetched)
    machine.withLock { $0.postActionsDone() }
    return nil
  }

  /// Marks `uids` `\Seen`, or moves them to the processed folder.
  private func postActions(_ uids: [UInt32]) async throws(MailboxError) {
    for uid in uids {
      if let folder = settings.processedFolder {
        try await session.move(uid: uid, from: settings.mailbox, to: folder)
      } else {
        try await session.markSeen(uid: uid, in: settings.mailbox)
      }
    }
  }
}
