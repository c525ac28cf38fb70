import JunctionModel

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
  }

  /// What the gateway needs to know about a message without its body.
  public struct MessageRecord: Sendable, Equatable {
    public var conversationId: String
    public var channel: String
    public var direction: MessageDirection
    public var status: DeliveryStatus
    public var providerMessageId: String?
  }

  public internal(set) var contacts: [String: Contact] = [:]
  /// Identity key (`ContactIdentity.key`), `phone:+7…` or `email:a@b` → contact id.
  public internal(set) var contactIndex: [String: String] = [:]
  public internal(set) var conversations: [String: ConversationRecord] = [:]
  /// Thread stream key → the open conversation of that thread.
  public internal(set) var openConversationByThread: [String: String] = [:]
  public internal(set) var messages: [String: MessageRecord] = [:]
  /// `channel\u{1F}providerMessageId` → message id, for inbound dedupe and provider statuses.
  public internal(set) var messageByProviderId: [String: String] = [:]
  /// `channel\u{1F}editId` of every edit applied, for dedupe.
  public internal(set) var appliedEdits: Set<String> = []
  /// Stream key → number of journal records naming it (mirrors the journal's versions so that
  /// state and versions are read together, under one lock).
  public internal(set) var streamVersions: [String: UInt64] = [:]
  /// The sequence number of the last applied record.
  public internal(set) var lastSequence: UInt64 = 0

  public init() {}

  static func providerKey(channel: String, providerMessageId: String) -> String {
    "\(channel)\u{1F}\(providerMessageId)"
  }

  /// The version of a stream as of ``lastSequence``.
  public func version(of stream: String) -> UInt64 { streamVersions[stream] ?? 0 }

  /// The contact behind an identity, phone or e-mail, in that order.
  func contactId(for identity: ContactIdentity, phone: String?, email: String?) -> String? {
    if let id = contactIndex[identity.key] { return id }
    if let phone, let id = contactIndex["phone:\(phone)"] { return id }
    if let email, let id = contactIndex["email:\(email.lowercased())"] { return id }
    return nil
  }
}
