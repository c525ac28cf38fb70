import JunctionChannels
import JunctionModel

/// The one gate every outbound message passes before the outbox (DESIGN.md principle 7):
/// helpdesk replies, bot answers and (later) notifications alike.
///
/// Pure: it sees the facts and says whether the message may go. A refusal is not bad input —
/// the message is recorded and fails with the refusal's code, so helpdesks see why in
/// `message.failed`.
public struct SendPolicy: Sendable {
  /// What the policy looks at.
  public struct Facts: Sendable {
    /// The channel instance the message goes out on.
    public var channel: String
    public var capabilities: ChannelCapabilities
    /// Channels on which the contact opted out / is unreachable.
    public var optedOut: [String]
    public var unreachable: [String]
    /// When the customer last wrote on this conversation.
    public var lastInboundAt: Timestamp?
    /// Transactional messages (answers to the customer's own request, order updates) pass
    /// opt-outs; marketing and notifications do not.
    public var transactional: Bool
    /// The adapter can still reach the customer outside the reply window (a configured
    /// WhatsApp template).
    public var hasWindowFallback: Bool

    public init(
      channel: String, capabilities: ChannelCapabilities, optedOut: [String] = [],
      unreachable: [String] = [], lastInboundAt: Timestamp? = nil, transactional: Bool = true,
      hasWindowFallback: Bool = false
    ) {
      self.channel = channel
      self.capabilities = capabilities
      self.optedOut = optedOut
      self.unreachable = unreachable
      self.lastInboundAt = lastInboundAt
      self.transactional = transactional
      self.hasWindowFallback = hasWindowFallback
    }
  }

  public init() {}

  /// nil when the message may go; otherwise the error it fails with.
  public func check(_ facts: Facts, now: Timestamp) -> ProviderError? {
    if facts.unreachable.contains(facts.channel) {
      return ProviderError(
        code: "recipient_unreachable",
        message: "the provider reported this contact unreachable on channel \(facts.channel)")
    }
    if !facts.transactional && facts.optedOut.contains(facts.channel) {
      return ProviderError(
        code: "opted_out", message: "the contact opted out of messages on \(facts.channel)")
    }
    if let window = facts.capabilities.replyWindow, !facts.hasWindowFallback {
      let last = facts.lastInboundAt.map { Double(now.millis - $0.millis) / 1000 }
      if last.map({ $0 > window }) ?? true {
        return ProviderError(
          code: "outside_reply_window",
          message:
            "the channel allows free-form replies only within \(Int(window / 3600)) h of the customer's last message"
        )
      }
    }
    return nil
  }
}
