import JunctionChannels
import JunctionDelivery
import JunctionModel

/// Plans one outbound message — a helpdesk reply, a bot answer, a "we open at 9:00" note —
/// through the one gate everything that goes out passes (DESIGN.md principle 7): the send
/// policy, then `message.queued` (and `message.failed` at once when the policy refuses).
struct OutboundPlanner {
  /// What to send.
  struct Draft: Sendable {
    var text: String?
    var attachments: [Attachment] = []
    /// An agent id, `bot` or `system`.
    var author: String
    var inReplyTo: String?
    var transactional = false
    /// The API token that asked for it (`bot` and `system` for Junction's own).
    var token: String
    /// The caller's idempotency key, with the combined state key.
    var idempotency: (key: String, stateKey: String)?
  }

  /// What became of the draft.
  struct Queued: Sendable {
    var messageId: String
    var status: DeliveryStatus
    var error: ProviderError?
  }

  static let policy = SendPolicy()

  /// Adds the draft's events to `plan`; a 409 when the conversation's channel is gone.
  static func queue<Outcome>(
    _ draft: Draft, conversationId id: String, record: GatewayState.ConversationRecord,
    adapters: [String: any ChannelAdapter], state: borrowing GatewayState, now: Timestamp,
    into plan: inout WritePlan<Outcome>
  ) -> Result<Queued, CommandFailure> {
    let channel = record.conversation.channel
    guard let adapter = adapters[channel] else {
      return .failure(
        .rejected(
          .error(
            409, code: "channel_unavailable",
            message: "channel \(channel) of this conversation is not configured")))
    }
    let capabilities = type(of: adapter).manifest.capabilities
    var details = JSONObject()
    if let sms = adapter as? any SMSChannel, let text = draft.text {
      // An SMS reply longer than the channel allows is bad input: refused, nothing written.
      if let tooLong = sms.sms.check(text) {
        return .failure(.rejected(.error(422, code: tooLong.code, message: tooLong.message)))
      }
      details["sms"] = SMSSegments(text).json
    }
    let contact = state.contacts[record.conversation.contactId]
    let refusal = policy.check(
      SendPolicy.Facts(
        channel: channel, capabilities: capabilities, optedOut: contact?.optedOut ?? [],
        unreachable: contact?.unreachable ?? [], lastInboundAt: record.conversation.lastInboundAt,
        transactional: draft.transactional, hasWindowFallback: adapter.hasReplyWindowFallback),
      now: now)
    if draft.transactional { details["transactional"] = true }
    if draft.author == "bot" || draft.author == "system" { details["automatic"] = true }
    let message = Message(
      id: Identifier.make("msg", at: now.date), conversationId: id,
      contactId: record.conversation.contactId, channel: channel, direction: .outbound,
      text: draft.text, attachments: draft.attachments, createdAt: now, status: .queued,
      inReplyTo: draft.inReplyTo, author: draft.author, details: details)
    var streams = [StreamKey.conversation(id)]
    if let idempotency = draft.idempotency {
      let stream = StreamKey.idempotency(token: draft.token, key: idempotency.key)
      plan.require(stream, in: state)
      streams.append(stream)
    }
    plan.events.append(
      PlannedEvent(
        EventType.messageQueued, at: now, conversationId: id, streams: streams,
        change: .messageQueued(
          id: message.id, record: GatewayState.MessageRecord(message),
          idempotencyKey: draft.idempotency?.stateKey, author: draft.author)
      ) { writer in
        writer.beginObject()
        writer.key("message")
        message.write(into: &writer)
        writer.key("token")
        writer.string(draft.token)
        if let key = draft.idempotency?.key {
          writer.key("idempotency_key")
          writer.string(key)
        }
        writer.endObject()
      })
    if let refusal {
      plan.events.append(
        PlannedEvent(
          EventType.messageFailed, at: now, conversationId: id,
          streams: [StreamKey.conversation(id)],
          change: .statusChanged(messageId: message.id, status: .failed, providerMessageId: nil),
          json: [
            "message_id": .string(message.id), "status": "failed", "error": refusal.json,
            "attempts": 0, "source": "policy",
          ]))
    }
    return .success(
      Queued(messageId: message.id, status: refusal == nil ? .queued : .failed, error: refusal))
  }
}
