import JunctionModel

/// Reads the messages of a conversation, for adapters whose sends depend on what came before
/// (an e-mail reply continues the customer's subject and `References`). The gateway implements
/// it over the journal and hands it to adapters in ``AdapterContext/history``.
public protocol ConversationHistory: Sendable {
  /// The messages of conversation `id`, oldest first, with their delivery statuses and
  /// provider ids applied; empty when the conversation is unknown. Reads the journal: call it
  /// from a send, never from an event-loop thread.
  func messages(inConversation id: String) async -> [Message]
}
