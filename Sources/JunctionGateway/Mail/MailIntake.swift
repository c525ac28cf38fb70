import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionSystem

/// Journals parsed mail for an e-mail channel, whether it came by IMAP or by HTTP.
///
/// Files first: every attachment the adapter kept (and the raw original) is written to the
/// blob store, then the messages are journaled with their `blob_id`s set, each file announced
/// by an `attachment.stored` event in the same batch (so `GET /v1/attachments/{id}` serves it
/// at once and the attachment fetcher has nothing to do). A poller's `mailbox.advanced` cursor
/// goes into that same batch, conditional on the cursor stream not having moved. The caller
/// answers its mail server only after this returns success. Runs off event-loop threads.
struct MailIntake: Sendable {
  let writer: StateWriter
  let blobs: BlobStore
  let policy: IngestPlanner.Policy

  /// A poller's cursor to journal with the mail.
  struct Advance: Sendable {
    var mailbox: String
    var cursor: MailboxCursor
    var skipped: [UInt32]
    /// The cursor stream's version the poller last saw; another writer since is a conflict.
    var expectedVersion: UInt64
  }

  /// One outcome per mail with an item, in order.
  func ingest(_ mails: [ParsedMail], channel: String, advance: Advance? = nil) async
    -> Result<[IngestOutcome], CommandFailure>
  {
    var items: [InboundItem] = []
    var stored: [[(index: Int, blob: BlobInfo)]] = []
    for mail in mails {
      guard var item = mail.item else { continue }
      var files: [(Int, BlobInfo)] = []
      if case .message(var message) = item, !isKnown(message, channel: channel) {
        for (index, data) in mail.files.enumerated() where index < message.attachments.count {
          guard let data else { continue }
          let id: String
          do {
            id = try blobs.put(data)
          } catch {
            return .failure(
              .rejected(
                .error(503, code: "blob_store_unavailable", message: "not stored: \(error)")))
          }
          message.attachments[index].blobId = id
          message.attachments[index].size = Int64(data.count)
          files.append(
            (
              index,
              BlobInfo(
                id: id, size: data.count, contentType: message.attachments[index].contentType,
                filename: message.attachments[index].filename)
            ))
        }
        item = .message(message)
      }
      items.append(item)
      stored.append(files)
    }
    if items.isEmpty && advance == nil { return .success([]) }
    let policy = policy
    let plannedItems = items
    let files = stored
    return await withCheckedContinuation { continuation in
      writer.write({ state, now in
        Self.plan(
          plannedItems, files: files, channel: channel, advance: advance, state: state, now: now,
          policy: policy)
      }) { continuation.resume(returning: $0) }
    }
  }

  private func isKnown(_ message: InboundMessage, channel: String) -> Bool {
    let key = GatewayState.providerKey(
      channel: channel, providerMessageId: message.providerMessageId)
    return writer.store.read { $0.messageByProviderId[key] != nil }
  }

  // swift-format-ignore: ParameterCount
  static func plan(
    _ items: [InboundItem], files: [[(index: Int, blob: BlobInfo)]], channel: String,
    advance: Advance?, state: borrowing GatewayState, now: Timestamp,
    policy: IngestPlanner.Policy
  ) -> Result<WritePlan<[IngestOutcome]>, CommandFailure> {
    var plan = IngestPlanner.plan(items, channel: channel, state: state, now: now, policy: policy)
    for (position, outcome) in plan.outcome.enumerated() where position < files.count {
      guard case .message(let messageId, let conversationId, false) = outcome else { continue }
      let conversation: String? = conversationId.isEmpty ? nil : conversationId
      for (index, blob) in files[position] {
        plan.events.append(
          PlannedEvent(
            EventType.attachmentStored, at: now, conversationId: conversation,
            streams: conversation.map { [StreamKey.conversation($0)] } ?? [],
            change: .blobStored(messageId: messageId, index: index, blob),
            json: [
              "message_id": .string(messageId), "index": .int(Int64(index)), "blob": blob.json,
            ]
          ))
      }
    }
    if let advance {
      let stream = MailboxCursor.stream(channel: channel)
      guard state.version(of: stream) == advance.expectedVersion else {
        return .failure(
          .rejected(
            .error(409, code: "cursor_moved", message: "another poller advanced \(channel)")))
      }
      plan.require(stream, in: state)
      plan.events.append(
        PlannedEvent(
          EventType.mailboxAdvanced, at: now, streams: [stream], change: .none,
          json: advance.cursor.json(
            channel: channel, mailbox: advance.mailbox, skipped: advance.skipped)))
    }
    return .success(plan)
  }
}
