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
    writer.write({ state, now in
      plan(
        reply, conversationId: id, key: key, token: token.name, adapters: adapters, state: state,
        now: now)
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
    adapters: [String: any ChannelAdapter], state: borrowing GatewayState, now: Timestamp
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
    if let adapter = adapters[record.conversation.channel],
      let problem = reply.unsupported(by: type(of: adapter).manifest.capabilities)
    {
      return .failure(problem)
    }
    if let inReplyTo = reply.inReplyTo, state.messages[inReplyTo]?.conversationId != id {
      return .failure(RequestBody.invalid("in_reply_to", "no message \(inReplyTo) here"))
    }
    let draft = OutboundPlanner.Draft(
      text: reply.text, attachments: reply.attachments, author: reply.author,
      inReplyTo: reply.inReplyTo, transactional: reply.transactional, token: token,
      idempotency: zip2(key, idempotency))
    var plan = WritePlan(
      outcome: Outcome(messageId: "", status: .queued, error: nil, replayed: false))
    switch OutboundPlanner.queue(
      draft, conversationId: id, record: record, adapters: adapters, state: state, now: now,
      into: &plan)
    {
    case .failure(let failure):
      return .failure(failure)
    case .success(let queued):
      plan.outcome = Outcome(
        messageId: queued.messageId, status: queued.status, error: queued.error, replayed: false)
    }
    return .success(plan)
  }
}

/// Both values, or nil.
private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
  guard let a, let b else { return nil }
  return (a, b)
}
