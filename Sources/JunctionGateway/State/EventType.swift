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
  /// A part of a concatenated SMS arrived; the message follows when all parts are there.
  public static let messagePartReceived = "message.part_received"
  /// The parts of a concatenated SMS were joined into one `message.received`.
  public static let messagePartsJoined = "message.parts_joined"
  /// An outbound send failed for now and will be tried again.
  public static let messageRetrying = "message.retrying"
  public static let conversationAssigned = "conversation.assigned"
  public static let conversationUnassigned = "conversation.unassigned"
  public static let conversationTransferred = "conversation.transferred"
  public static let conversationRouted = "conversation.routed"
  public static let conversationResolved = "conversation.resolved"
  public static let conversationReopened = "conversation.reopened"
  public static let conversationTagged = "conversation.tagged"
  /// The conversation waits on the customer: SLA clocks pause until they write.
  public static let conversationWaiting = "conversation.waiting_on_customer"
  public static let botAnswered = "bot.answered"
  /// The bot waits for the customer's real question after a greeting.
  public static let botWaiting = "bot.waiting"
  public static let botHandoff = "bot.handoff"
  public static let slaWarning = "sla.warning"
  public static let slaBreached = "sla.breached"
  public static let configApplied = "config.applied"
  public static let agentUpdated = "agent.updated"
  public static let conversationOffered = "conversation.offered"
  public static let conversationOfferEnded = "conversation.offer_ended"
  public static let conversationReturned = "conversation.returned"
  public static let configRefused = "config.refused"
  /// An internal note, never sent to the customer.
  public static let noteAdded = "note.added"
  /// Junction stored its own copy of an inbound attachment.
  public static let attachmentStored = "attachment.stored"
  /// An inbound attachment could not be fetched from the provider.
  public static let attachmentFailed = "attachment.failed"
  /// A helpdesk uploaded a file to attach to replies.
  public static let attachmentUploaded = "attachment.uploaded"
  public static let contactOptedOut = "contact.opted_out"
  public static let contactOptedIn = "contact.opted_in"
  public static let contactUnreachable = "contact.unreachable"
  public static let subscriptionCreated = "subscription.created"
  public static let subscriptionDeleted = "subscription.deleted"
  public static let subscriptionReplayed = "subscription.replayed"
  public static let subscriptionDisabled = "subscription.disabled"
  public static let subscriptionEnabled = "subscription.enabled"

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
  /// Serialises uses of one `Idempotency-Key` by one API token.
  static func idempotency(token: String, key: String) -> String { "k:\(token)\u{1F}\(key)" }
  /// Serialises changes to one webhook subscription.
  static func subscription(_ id: String) -> String { "s:\(id)" }
  /// Serialises an agent's changes and load (offers, assignments).
  static func agent(_ id: String) -> String { "agent:\(id)" }
  /// Serialises changes to one contact (opt-outs, reachability).
  static func contact(_ id: String) -> String { "c:\(id)" }
}
