import Dispatch
import JunctionChannels
import JunctionDelivery
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Copies inbound attachments from providers into the blob store (issue 4, "Attachments"),
/// so helpdesks fetch them from Junction and never need provider tokens.
///
/// Works from ``GatewayState/pendingAttachments`` (filled by `message.received`): downloads
/// through the channel's adapter, stores the bytes, journals `attachment.stored`; retries
/// failures with backoff and journals `attachment.failed` when it gives up. The message itself
/// never waits for any of this. All mutable state lives on `queue`.
final class AttachmentFetcher: @unchecked Sendable {
  static let concurrency = 4
  static let schedule = RetrySchedule.exponential(base: 2, cap: 300, total: 1800)

  let journal: any Journal
  let writer: StateWriter
  let adapters: [String: any ChannelAdapter]
  let transport: any ChannelTransport
  let blobs: BlobStore
  let maxBytes: Int
  let logger: Logger
  private let queue = DispatchQueue(label: "junction.attachments")
  private var scheduler = LaneScheduler()
  private var attempts: [String: Int] = [:]
  private var timer: DispatchSourceTimer?
  private var stopping = false
  private let idle = DispatchGroup()

  init(
    journal: any Journal, writer: StateWriter, adapters: [String: any ChannelAdapter],
    transport: any ChannelTransport, blobs: BlobStore, maxBytes: Int, logger: Logger
  ) {
    self.journal = journal
    self.writer = writer
    self.adapters = adapters
    self.transport = transport
    self.blobs = blobs
    self.maxBytes = maxBytes
    self.logger = logger
  }

  func start() {
    let pending = writer.store.read { Array($0.pendingAttachments.values) }
    queue.async { [self] in
      for item in pending { add(item) }
      pump()
    }
  }

  /// New `message.received` events may carry attachments (journal follow handler; quick).
  func observe(_ records: [JournalRecord]) {
    var found: [GatewayState.PendingAttachment] = []
    for record in records {
      guard let applied = record.context as? AppliedEvent,
        case .messageRecorded(let id, let message, _, _, let fetchable) = applied.change,
        !fetchable.isEmpty
      else { continue }
      for index in fetchable {
        found.append(
          GatewayState.PendingAttachment(
            messageId: id, index: index, channel: message.channel, offset: record.sequence))
      }
    }
    guard !found.isEmpty else { return }
    let items = found
    queue.async { [self] in
      for item in items { add(item) }
      pump()
    }
  }

  func shutdown(timeout: Double = 5) {
    queue.sync {
      stopping = true
      timer?.cancel()
    }
    _ = idle.wait(timeout: .now() + timeout)
  }

  private func key(_ item: GatewayState.PendingAttachment) -> String {
    "\(item.messageId)#\(item.index)"
  }

  private var items: [String: GatewayState.PendingAttachment] = [:]

  private func add(_ item: GatewayState.PendingAttachment) {
    let id = key(item)
    guard items[id] == nil else { return }
    items[id] = item
    scheduler.add(
      LaneScheduler.Item(
        id: id, lane: id, order: item.offset, dueAt: writer.clock().millis, group: item.channel))
  }

  private func pump() {
    guard !stopping else { return }
    let now = writer.clock().millis
    let free = Self.concurrency - scheduler.runningCount
    if free > 0 {
      for item in scheduler.due(now: now, limit: free) {
        guard let pending = items[item.id] else { continue }
        scheduler.start(item.id)
        idle.enter()
        DispatchTaskExecutor.shared.run { [self] in
          let outcome = await fetch(pending)
          queue.async { [self] in
            finish(pending, outcome)
            idle.leave()
          }
        }
      }
    }
    timer?.cancel()
    timer = nil
    guard let due = scheduler.nextDueTime() else { return }
    let source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + .milliseconds(Int(max(0, due - now))))
    source.setEventHandler { [weak self] in self?.pump() }
    source.resume()
    timer = source
  }

  enum Outcome {
    case stored(BlobInfo)
    case retry(ProviderError)
    case failed(ProviderError)
  }

  private func fetch(_ item: GatewayState.PendingAttachment) async -> Outcome {
    guard let adapter = adapters[item.channel] else {
      return .failed(ProviderError(code: "channel_unavailable", message: item.channel))
    }
    let attachment: Attachment
    do {
      let message = try OutboundAssembler.storedMessage(at: item.offset, journal: journal)
      guard message.attachments.indices.contains(item.index) else {
        return .failed(ProviderError(code: "unknown_attachment", message: "no such attachment"))
      }
      attachment = message.attachments[item.index]
    } catch {
      return .failed(ProviderError(code: "unreadable", message: "\(error)"))
    }
    switch await adapter.download(attachment, transport: transport, maxBytes: maxBytes) {
    case .downloaded(let file):
      guard file.bytes.count <= maxBytes else {
        return .failed(ProviderError(code: "too_large", message: "\(file.bytes.count) bytes"))
      }
      do {
        let id = try blobs.put(file.bytes)
        return .stored(
          BlobInfo(
            id: id, size: file.bytes.count, contentType: attachment.contentType ?? file.contentType,
            filename: attachment.filename ?? file.filename))
      } catch {
        return .retry(ProviderError(code: "blob_store", message: "\(error)"))
      }
    case .retry(let error): return .retry(error)
    case .failed(let error): return .failed(error)
    }
  }

  private func finish(_ item: GatewayState.PendingAttachment, _ outcome: Outcome) {
    let id = key(item)
    var failure: ProviderError?
    switch outcome {
    case .stored(let blob):
      journal(
        item, type: EventType.attachmentStored,
        change: .blobStored(messageId: item.messageId, index: item.index, blob),
        data: ["blob": blob.json])
    case .failed(let error):
      failure = error
    case .retry(let error):
      let attempt = attempts[id, default: 0] + 1
      attempts[id] = attempt
      if let delay = Self.schedule.delay(afterAttempt: attempt, random: Double.random(in: 0..<1)) {
        scheduler.reschedule(id, dueAt: writer.clock().millis + Int64(delay * 1000))
        pump()
        return
      }
      failure = error
    }
    if let failure {
      logger.warning(
        "Attachment not fetched.", ["message_id": item.messageId, "error": failure.description])
      journal(
        item, type: EventType.attachmentFailed,
        change: .attachmentFailed(messageId: item.messageId, index: item.index),
        data: ["error": failure.json])
    }
    scheduler.finish(id)
    items[id] = nil
    attempts[id] = nil
    pump()
  }

  private func journal(
    _ item: GatewayState.PendingAttachment, type: String, change: StateChange, data: JSONObject
  ) {
    writer.write({ state, now in
      var plan = WritePlan<Void>(outcome: ())
      guard state.pendingAttachments["\(item.messageId)#\(item.index)"] != nil,
        let conversationId = state.messages[item.messageId]?.conversationId
      else { return .success(plan) }
      var data = data
      data["message_id"] = .string(item.messageId)
      data["index"] = .int(Int64(item.index))
      plan.events.append(
        PlannedEvent(
          type, at: now, conversationId: conversationId,
          streams: [StreamKey.conversation(conversationId)], change: change, json: .object(data)))
      return .success(plan)
    }) { [logger] result in
      if case .failure(let failure) = result {
        logger.warning("Could not journal an attachment outcome.", ["error": failure])
      }
    }
  }
}
