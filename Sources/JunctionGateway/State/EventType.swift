/// The event types Junction writes (`noun.verb_past`, DESIGN.md "Public contract").
public enum EventType {
  public static let contactCreated = "contact.created"
  public static let contactIdentityAdded = "contact.identity_added"
  public static let conversationCreated = "conversation.created"
  public static let messageReceived = "message.received"
  public static let messageEdited = "message.edited"
  public static let messageQueued = "message.queued"
  public static let messageSent = "message.sent"
  public static let messageDelivered = "message.delivered"
  public static let messageRead = "message.read"
  public static let messageFailed = "message.failed"

  /// The event type announcing a delivery status.
  public static func forStatus(_ status: String) -> String? {
    switch status {
    case "sent": return messageSent
    case "delivered": return messageDelivered
    case "read": return messageRead
    case "failed": return messageFailed
    default: return nil
    }
  }
}

/// Journal stream keys: the units of optimistic concurrency.
enum StreamKey {
  /// Serialises everything that decides which conversation a thread's messages join, and
  /// dedupes provider message ids (they are unique within a thread).
  static func thread(channel: String, key: String) -> String { "t:\(channel)\u{1F}\(key)" }
  /// Serialises creation of the contact behind an identity.
  static func identity(_ key: String) -> String { "i:\(key)" }
  /// A conversation's own stream (assignments, claims, actions).
  static func conversation(_ id: String) -> String { id }
}
