import JunctionDelivery
import JunctionModel
import JunctionRouting

/// What the API serves, rebuilt from the journal (DESIGN.md principle 1).
///
/// A value type: applying an event is a pure mutation, a snapshot is a copy. Message bodies
/// are not kept here — each conversation remembers the journal sequence numbers of its
/// events, and readers fold those events on demand — so memory grows with conversations,
/// not with text.
public struct GatewayState: Sendable {
  /// A conversation and where its events are in the journal.
  public struct ConversationRecord: Sendable {
    public var conversation: Conversation
    /// The journal stream of the thread this conversation belongs to (channel + thread key).
    public var threadKey: String
    /// Journal sequence numbers of every event of this conversation, in order.
    public var eventSequences: [UInt64]
    /// When it last entered its queue (created, transferred, unassigned, reopened): claims
    /// serve the oldest first within a priority.
    public var queuedAt: Timestamp
    /// The provider id of the customer's latest message (replies thread to it).
    public var lastInboundProviderId: String?
    /// Junction's id of the customer's latest message.
    public var lastInboundMessageId: String?
    /// The outstanding push offer, if any.
    public var offer: (agent: String, expiresAt: Timestamp)?
    /// Agents whose offer of it lapsed or who declined it since it last entered its queue.
    public var lapsedAgents: [String] = []
  }

  /// What the gateway needs to know about a message without its body.
  public struct MessageRecord: Sendable, Equatable {
    public var conversationId: String
    public var channel: String
    public var direction: MessageDirection
    public var status: DeliveryStatus
    public var providerMessageId: String?

    public init(
      conversationId: String, channel: String, direction: MessageDirection,
      status: DeliveryStatus, providerMessageId: String? = nil
    ) {
      self.conversationId = conversationId
      self.channel = channel
      self.direction = direction
      self.status = status
      self.providerMessageId = providerMessageId
    }
  }

  /// An outbound message not yet sent or failed for good.
  public struct OutboxEntry: Sendable, Equatable {
    public var messageId: String
    public var conversationId: String
    public var channel: String
    /// The journal offset of its `message.queued` event (the message's text and attachments).
    public var queuedOffset: UInt64
    /// Failed attempts so far.
    public var attempts: Int
    /// Not to be tried before this time (nil: at once).
    public var notBefore: Timestamp?
    /// Parts of a split text already accepted by the provider (resumed after them).
    public var partsSent: Int = 0
  }

  public internal(set) var contacts: ShardedDictionary<Contact> = [:]
  /// Identity key (`ContactIdentity.key`), `phone:+7…` or `email:a@b` → contact id.
  public internal(set) var contactIndex: ShardedDictionary<String> = [:]
  public internal(set) var conversations: ShardedDictionary<ConversationRecord> = [:]
  /// Conversation ids in the order they were created (paging, newest first).
  public internal(set) var conversationOrder: [String] = []
  /// Contact id → their conversations, oldest first.
  public internal(set) var conversationsByContact: ShardedDictionary<[String]> = [:]
  /// Thread stream key → the latest conversation of that thread (open or resolved).
  public internal(set) var latestConversationByThread: ShardedDictionary<String> = [:]
  /// Agent → open conversations assigned to them (their load).
  public internal(set) var holding: [String: Set<String>] = [:]
  /// Queue → open conversations waiting there without an assignee.
  public internal(set) var waiting: [String: Set<String>] = [:]
  public internal(set) var messages: ShardedDictionary<MessageRecord> = [:]
  /// `channel\u{1F}providerMessageId` → message id, for inbound dedupe and provider statuses.
  public internal(set) var messageByProviderId: ShardedDictionary<String> = [:]
  /// Keys of ``contactIndex`` and ``messageByProviderId`` whose entry may differ from what the
  /// records derive (``derivedContactKeys(_:)``; a message its provider id's ``providerKey``):
  /// provider aliases, identities that moved, keys two records share, keys a record no longer
  /// derives.
  /// Kept as changes apply, so a snapshot writes these entries as they are instead of checking
  /// every record against its index. A superset is harmless (an entry written that loading
  /// derives anyway); a key missing here would be lost from a snapshot. Sharded like the
  /// indexes: they grow with traffic (every joined SMS adds its parts' aliases), and one `Set`
  /// would double, or be copied whole after a snapshot captured it, under the state's lock.
  var contactIndexSuspects: ShardedDictionary<Bool> = [:]
  var providerIndexSuspects: ShardedDictionary<Bool> = [:]
  /// `channel\u{1F}editId` of every edit applied, for dedupe.
  public internal(set) var appliedEdits: Set<String> = []
  /// `token\u{1F}Idempotency-Key` → the outbound message the first request created.
  public internal(set) var idempotencyKeys: [String: String] = [:]
  /// Outbound messages still to send, by message id.
  public internal(set) var outbox: [String: OutboxEntry] = [:]
  /// An inbound attachment Junction has not yet copied into its blob store.
  public struct PendingAttachment: Sendable, Equatable {
    public var messageId: String
    public var index: Int
    public var channel: String
    /// The journal offset of the `message.received` event describing it.
    public var offset: UInt64
  }

  /// Inbound attachments still to fetch, by `messageId#index`.
  public internal(set) var pendingAttachments: [String: PendingAttachment] = [:]
  /// Stored files by id.
  public internal(set) var blobs: [String: BlobInfo] = [:]
  /// Parts of concatenated messages still waiting for the rest, by group key
  /// (`channel\u{1F}sender\u{1F}reference`).
  public internal(set) var partGroups: [String: PartGroup] = [:]
  /// Agents declared with `PUT /v1/agents/{id}`.
  public internal(set) var agents: [String: AgentProfile] = [:]
  /// Routing records of routed conversations (open and resolved), by conversation id.
  public internal(set) var routing: ShardedDictionary<RoutingRecord> = [:]
  /// The routing configuration last applied: version and digest (`config.applied`).
  public internal(set) var configVersion: Int = 0
  public internal(set) var configDigest: String?
  /// Webhook subscriptions, by id (deleted ones removed).
  public internal(set) var subscriptions: [String: Subscription] = [:]
  /// Subscription id → the latest replay request (`after`, and the offset it was made at).
  public internal(set) var replays: [String: (after: UInt64, offset: UInt64)] = [:]
  /// Stream key → number of journal records naming it (mirrors the journal's versions so that
  /// state and versions are read together, under one lock).
  public internal(set) var streamVersions: ShardedDictionary<UInt64> = [:]
  /// The sequence number of the last applied record.
  public internal(set) var lastSequence: UInt64 = 0

  public init() {}

  static func providerKey(channel: String, providerMessageId: String) -> String {
    "\(channel)\u{1F}\(providerMessageId)"
  }

  static func idempotencyKey(token: String, key: String) -> String { "\(token)\u{1F}\(key)" }

  /// The version of a stream as of ``lastSequence``.
  public func version(of stream: String) -> UInt64 { streamVersions[stream] ?? 0 }

  /// The contact behind an identity, phone or e-mail, in that order.
  func contactId(for identity: ContactIdentity, phone: String?, email: String?) -> String? {
    if let id = contactIndex[identity.key] { return id }
    if let phone, let id = contactIndex["phone:\(phone)"] { return id }
    if let email, let id = contactIndex["email:\(email.lowercased())"] { return id }
    return nil
  }

  /// The provider's thread key of a conversation (the part after the channel in its thread
  /// stream key).
  func rawThreadKey(of record: ConversationRecord) -> String {
    let prefix = StreamKey.thread(channel: record.conversation.channel, key: "")
    return record.threadKey.hasPrefix(prefix)
      ? String(record.threadKey.dropFirst(prefix.count)) : record.threadKey
  }
}

/// A set of keys kept as a ``ShardedDictionary`` (the index suspects).
extension ShardedDictionary where Value == Bool {
  mutating func insert(_ key: String) { self[key] = true }

  mutating func insert(contentsOf keys: some Sequence<String>) {
    for key in keys { self[key] = true }
  }
}
