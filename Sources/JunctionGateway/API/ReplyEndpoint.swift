import JunctionChannels
import JunctionConfig
import JunctionDelivery
import JunctionHTTP
import JunctionModel

/// `POST /v1/conversations/{id}/messages` (scope `write`): a reply to the customer.
///
/// Answers `202 {"message_id", "status": "queued"}` once `message.queued` is durable; the
/// outbox then carries it out through the conversation's channel. The send policy runs first:
/// a reply it refuses (opted out, outside the reply window) is journaled as queued and failed
/// at once, and the answer says `"status": "failed"` with the error. With an
/// `Idempotency-Key` header, repeating a request returns the first request's message and
/// writes nothing (header `Idempotent-Replayed: true`).
struct ReplyEndpoint: Sendable {
  let writer: StateWriter
  let adapters: [String: any ChannelAdapter]
  let policy = SendPolicy()

  struct Outcome: Sendable {
    var messageId: String
    var status: DeliveryStatus
    var error: ProviderError?
    var replayed: Bool
  }

  func handle(_ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    let key = request.headers["Idempotency-Key"]
    if let key, key.isEmpty || key.utf8.count > 255 {
      responder.respond(
        .error(400, code: "invalid_header", message: "Idempotency-Key: 1 to 255 characters"))
      return
    }
    let parsed = RequestBody.object(request, allowed: ReplyRequest.fields).flatMap { body in
      RequestBody.fields { () throws(FieldError) in try ReplyRequest(body, author: token.name) }
    }
    guard case .success(let reply) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    let adapters = adapters
    let policy = policy
    writer.write({ state, now in
      plan(
        reply, conversationId: id, key: key, token: token.name, adapters: adapters,
        policy: policy, state: state, now: now)
    }) { result in
      switch result {
      case .success(let outcome):
        var body: JSONObject = [
          "message_id": .string(outcome.messageId), "status": .string(outcome.status.rawValue),
        ]
        if let error = outcome.error { body["error"] = error.json }
        var response = HTTPResponse.json(202, JSON.object(body).serialized())
        if outcome.replayed { response.headers.add("Idempotent-Replayed", "true") }
        responder.respond(response)
      case .failure(let failure):
        responder.respond(failure.response)
      }
    }
  }

  // swift-format-ignore: ParameterCount
  private func plan(
    _ reply: ReplyRequest, conversationId id: String, key: String?, token: String,
    adapters: [String: any ChannelAdapter], policy: SendPolicy, state: borrowing GatewayState,
    now: Timestamp
  ) -> Result<WritePlan<Outcome>, CommandFailure> {
    let idempotency = key.map { GatewayState.idempotencyKey(token: token, key: $0) }
    if let idempotency, let existing = state.idempotencyKeys[idempotency] {
      let status = state.messages[existing]?.status ?? .queued
      return .success(
        WritePlan(
          outcome: Outcome(messageId: existing, status: status, error: nil, replayed: true)))
    }
    guard let record = state.conversations[id] else {
      return .failure(RequestBody.noConversation(id))
    }
    let channel = record.conversation.channel
    guard let adapter = adapters[channel] else {
      return .failure(
        .rejected(
          .error(
            409, code: "channel_unavailable",
            message: "channel \(channel) of this conversation is not configured")))
    }
    let capabilities = type(of: adapter).manifest.capabilities
    if let problem = reply.unsupported(by: capabilities) { return .failure(problem) }
    if let inReplyTo = reply.inReplyTo, state.messages[inReplyTo]?.conversationId != id {
      return .failure(RequestBody.invalid("in_reply_to", "no message \(inReplyTo) here"))
    }
    let contact = state.contacts[record.conversation.contactId]
    let facts = SendPolicy.Facts(
      channel: channel, capabilities: capabilities, optedOut: contact?.optedOut ?? [],
      unreachable: contact?.unreachable ?? [], lastInboundAt: record.conversation.lastInboundAt,
      transactional: reply.transactional, hasWindowFallback: adapter.hasReplyWindowFallback)
    let refusal = policy.check(facts, now: now)
    let message = Message(
      id: Identifier.make("msg", at: now.date), conversationId: id,
      contactId: record.conversation.contactId, channel: channel, direction: .outbound,
      text: reply.text, attachments: reply.attachments, createdAt: now, status: .queued,
      inReplyTo: reply.inReplyTo, author: reply.author,
      details: reply.transactional ? ["transactional": true] : JSONObject())
    var plan = WritePlan(
      outcome: Outcome(
        messageId: message.id, status: refusal == nil ? .queued : .failed, error: refusal,
        replayed: false))
    var streams = [StreamKey.conversation(id)]
    if let key {
      let stream = StreamKey.idempotency(token: token, key: key)
      plan.require(stream, in: state)
      streams.append(stream)
    }
    plan.events.append(
      PlannedEvent(
        EventType.messageQueued, at: now, conversationId: id, streams: streams,
        change: .messageQueued(
          id: message.id, record: GatewayState.MessageRecord(message),
          idempotencyKey: idempotency)
      ) { writer in
        writer.beginObject()
        writer.key("message")
        message.write(into: &writer)
        writer.key("token")
        writer.string(token)
        if let key {
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
    return .success(plan)
  }
}
