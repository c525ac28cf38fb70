import JunctionDelivery
import JunctionModel
import JunctionRouting

/// What one event changes in ``GatewayState``, in typed form.
///
/// Live appends carry it as the journal entry's context, so the writer thread applies it
/// without parsing JSON; replay decodes it from the stored event with ``init(event:)``. Both
/// paths go through ``GatewayState/apply(_:offset:conversationId:at:streams:)``.
public enum StateChange: Sendable {
  case contactCreated(Contact)
  case identityAdded(contactId: String, identity: ContactIdentity)
  case contactChanged(contactId: String, ContactChange)
  /// `threadKey` is the provider's thread key (the sender's id for private chats).
  case conversationCreated(Conversation, threadKey: String)
  case conversationChanged(ConversationChange)
  /// `aliases`: more provider ids that name this message (the parts of a joined SMS).
  /// `fetchable`: indexes of attachments Junction should copy into its blob store.
  case messageRecorded(
    id: String, record: GatewayState.MessageRecord, sentAt: Timestamp?, aliases: [String] = [],
    fetchable: [Int] = [])
  /// A part of a concatenated message arrived.
  case partReceived(group: String, PartGroup.Part, total: Int, origin: PartGroup.Origin)
  /// A part group became a message (complete, or timed out).
  case partsJoined(group: String)
  /// An outbound message entered the outbox (`message.queued`).
  case messageQueued(
    id: String, record: GatewayState.MessageRecord, idempotencyKey: String?,
    author: String? = nil)
  case messageEdited(channel: String, editId: String)
  case statusChanged(messageId: String, status: DeliveryStatus, providerMessageId: String?)
  /// A send attempt failed and the next one is due at `retryAt`.
  case sendRetrying(messageId: String, attempt: Int, retryAt: Timestamp, partsSent: Int)
  case subscriptionChanged(SubscriptionChange)
  /// The bot or SLA clock of the event's conversation moved on.
  case routingFact(RoutingFactChange)
  /// `agent.updated`.
  case agentUpdated(AgentProfile)
  /// `config.applied`: the routing configuration with this version and digest is in force.
  case configApplied(version: Int, digest: String)
  /// A file was stored: attachment `index` of message `messageId` (nil for an upload).
  case blobStored(messageId: String?, index: Int, BlobInfo)
  /// Fetching attachment `index` of message `messageId` failed for good.
  case attachmentFailed(messageId: String, index: Int)
  /// Events that change nothing the gateway state tracks.
  case none

  /// Decodes the change an event describes (replay). Malformed events change nothing.
  public init(event: Event) {
    do {
      self = try Self.decode(event)
    } catch {
      self = .none
    }
  }

  private static func decode(_ event: Event) throws(FieldError) -> StateChange {
    let data = try FieldReader(event.data, path: "data")
    if let change = try ConversationChange.decode(type: event.type, data: data, at: event.at) {
      return .conversationChanged(change)
    }
    if let change = try RoutingFactChange.decode(type: event.type, data: data, at: event.at) {
      return .routingFact(change)
    }
    if let change = try SubscriptionChange.decode(
      type: event.type, data: data, offset: event.offset)
    {
      return .subscriptionChanged(change)
    }
    if let change = try ContactChange.decode(type: event.type, data: data) {
      return .contactChanged(contactId: try data.string("contact_id"), change)
    }
    switch event.type {
    case EventType.contactCreated:
      return .contactCreated(
        try Contact(json: try data.object("contact").object.asJSON, path: "data.contact"))
    case EventType.contactIdentityAdded:
      return .identityAdded(
        contactId: try data.string("contact_id"),
        identity: try ContactIdentity(json: try data.object("identity").object.asJSON))
    case EventType.conversationCreated:
      return .conversationCreated(
        try Conversation(
          json: try data.object("conversation").object.asJSON, path: "data.conversation"),
        threadKey: try data.string("thread_key"))
    case EventType.messageReceived:
      let message = try Message(
        json: try data.object("message").object.asJSON, path: "data.message")
      return .messageRecorded(
        id: message.id, record: GatewayState.MessageRecord(message), sentAt: message.sentAt,
        aliases: message.details["part_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [],
        fetchable: message.fetchableAttachments)
    case EventType.messagePartReceived:
      let (group, part, total, origin) = try PartGroup.decode(data)
      return .partReceived(group: group, part, total: total, origin: origin)
    case EventType.messagePartsJoined:
      return .partsJoined(group: try data.string("group"))
    case EventType.messageQueued:
      let message = try Message(
        json: try data.object("message").object.asJSON, path: "data.message")
      var key: String?
      if let raw = try data.optionalString("idempotency_key") {
        key = GatewayState.idempotencyKey(token: try data.string("token"), key: raw)
      }
      return .messageQueued(
        id: message.id, record: GatewayState.MessageRecord(message), idempotencyKey: key,
        author: message.author)
    case EventType.messageEdited:
      return .messageEdited(
        channel: try data.string("channel"), editId: try data.string("edit_id"))
    case EventType.messageSent, EventType.messageDelivered, EventType.messageRead,
      EventType.messageFailed:
      guard let status = DeliveryStatus(rawValue: try data.string("status")) else { return .none }
      return .statusChanged(
        messageId: try data.string("message_id"), status: status,
        providerMessageId: try data.optionalString("provider_message_id"))
    case EventType.attachmentStored, EventType.attachmentUploaded:
      return .blobStored(
        messageId: try data.optionalString("message_id"),
        index: Int(try data.optionalInt("index") ?? 0),
        try BlobInfo(json: try data.object("blob")))
    case EventType.attachmentFailed:
      return .attachmentFailed(
        messageId: try data.string("message_id"), index: Int(try data.int("index")))
    case EventType.agentUpdated:
      let agent = try data.object("agent")
      var body = agent.object
      body["id"] = nil
      return .agentUpdated(try AgentProfile(id: try agent.string("id"), json: .object(body)))
    case EventType.configApplied:
      return .configApplied(
        version: Int(try data.int("version")), digest: try data.string("digest"))
    case EventType.messageRetrying:
      guard let retryAt = try data.optionalTimestamp("retry_at") else { return .none }
      return .sendRetrying(
        messageId: try data.string("message_id"), attempt: Int(try data.int("attempt")),
        retryAt: retryAt, partsSent: Int(try data.optionalInt("parts_sent") ?? 0))
    default:
      return .none
    }
  }
}

/// A journal entry's context: the change to apply and the envelope fields it needs. A class:
/// every follower casts the record's context back to it, and casting a struct out of an
/// existential copies it whole (every string and array in the change retained and released).
final class AppliedEvent: Sendable {
  let change: StateChange
  let conversationId: String?
  let at: Timestamp

  init(change: StateChange, conversationId: String?, at: Timestamp) {
    self.change = change
    self.conversationId = conversationId
    self.at = at
  }
}

extension GatewayState.MessageRecord {
  init(_ message: Message) {
    self.init(
      conversationId: message.conversationId, channel: message.channel,
      direction: message.direction,
      status: message.status, providerMessageId: message.providerMessageId)
  }
}

extension Message {
  /// Indexes of attachments with something to fetch and no stored copy yet.
  var fetchableAttachments: [Int] {
    attachments.indices.filter { index in
      let attachment = attachments[index]
      return attachment.blobId == nil
        && (attachment.url != nil || attachment.providerFileId != nil)
    }
  }
}
