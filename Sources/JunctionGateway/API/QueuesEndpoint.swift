import JunctionConfig
import JunctionHTTP
import JunctionModel

/// `GET /v1/queues` (scope `read`) and `POST /v1/queues/{id}/claim` (scope `write`).
///
/// A claim hands the caller the queue's next waiting conversation — highest priority first,
/// then the one waiting longest — and assigns it with a conditional append on that
/// conversation's stream: two agents claiming at once never get the same conversation (the
/// loser's plan re-runs and takes the next one).
struct QueuesEndpoint: Sendable {
  let writer: StateWriter
  let queues: @Sendable () -> Set<String>
  /// SLA deadline of a conversation, when one applies (called under the state lock).
  let deadline: @Sendable (String, borrowing GatewayState) -> Timestamp?
  /// A conversation's priority now: its routed priority plus any boost for a nearing SLA
  /// deadline (called under the state lock).
  let priority: @Sendable (String, borrowing GatewayState, Timestamp) -> Int

  func list(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let now = writer.clock()
    let known = queues()
    let body = writer.store.read { state -> JSON in
      let ids = known.union(state.waiting.keys).sorted()
      return [
        "queues": .array(
          ids.map { id in
            let waiting = state.waiting[id] ?? []
            var oldest: Timestamp?
            var pastSLA = 0
            for conversationId in waiting {
              guard let record = state.conversations[conversationId] else { continue }
              if oldest.map({ record.queuedAt < $0 }) ?? true { oldest = record.queuedAt }
              if let due = deadline(conversationId, state), due < now { pastSLA += 1 }
            }
            return [
              "id": .string(id), "depth": .int(Int64(waiting.count)),
              "oldest_waiting_since": oldest.map(\.json) ?? .null,
              "oldest_wait_seconds": .int(oldest.map { (now.millis - $0.millis) / 1000 } ?? 0),
              "past_sla": .int(Int64(pastSLA)), "configured": .bool(known.contains(id)),
            ]
          })
      ]
    }
    responder.respond(.json(200, body.serialized()))
  }

  func claim(_ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder) {
    let queue = request.pathParameters["id"] ?? ""
    let parsed = RequestBody.object(request, allowed: ["agent"]).flatMap { body in
      RequestBody.fields { () throws(FieldError) in try body.nonEmptyString("agent") }
    }
    guard case .success(let agent) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    guard queues().contains(queue) || writer.store.read({ $0.waiting[queue] != nil }) else {
      responder.respond(.error(404, code: "not_found", message: "no queue \(queue)"))
      return
    }
    writer.write({ state, now in
      var plan = WritePlan<String?>(outcome: nil)
      guard let id = Self.next(in: queue, state: state, priority: { priority($0, state, now) })
      else { return .success(plan) }
      let stream = StreamKey.conversation(id)
      plan.require(stream, in: state)
      plan.outcome = id
      plan.events.append(
        PlannedEvent(
          EventType.conversationAssigned, at: now, conversationId: id, streams: [stream],
          change: .conversationChanged(.assigned(agent: agent)),
          json: [
            "agent": .string(agent), "previous": .null, "reason": "claim",
            "queue": .string(queue), "by": .string(token.name),
          ]))
      return .success(plan)
    }) { result in
      switch result {
      case .success(let id):
        let conversation = writer.store.read { state -> JSON in
          id.flatMap { state.conversations[$0] }.map { ConversationJSON.summary($0) } ?? .null
        }
        let body: JSON = ["conversation": conversation]
        responder.respond(.json(200, body.serialized()))
      case .failure(let failure):
        responder.respond(failure.response)
      }
    }
  }

  /// The waiting conversation a claim on `queue` takes: highest priority, then longest wait.
  static func next(
    in queue: String, state: borrowing GatewayState, priority: (String) -> Int
  ) -> String? {
    var best: (id: String, priority: Int, since: Timestamp)?
    for id in state.waiting[queue] ?? [] {
      guard let record = state.conversations[id] else { continue }
      let candidate = (id, priority(id), record.queuedAt)
      if let current = best {
        if candidate.1 > current.priority
          || (candidate.1 == current.priority
            && (candidate.2 < current.since || (candidate.2 == current.since && id < current.id)))
        {
          best = candidate
        }
      } else {
        best = candidate
      }
    }
    return best?.id
  }
}
