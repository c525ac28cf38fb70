import JunctionConfig
import JunctionHTTP
import JunctionModel

/// `POST /v1/conversations/{id}/{action}` (scope `write`): assign, unassign, transfer,
/// resolve, reopen, tags and notes. Each is journaled on the conversation's stream
/// (conditionally, so concurrent actions never overwrite each other) and answered with the
/// conversation as it stands after the change. Repeating an action that changes nothing
/// (resolving a resolved conversation) writes nothing and answers 200.
struct ConversationActionsEndpoint: Sendable {
  enum Action: String, CaseIterable, Sendable {
    case assign, unassign, transfer, resolve, reopen, tags, notes
    /// The conversation waits on the customer: SLA clocks pause until they write again.
    case wait
  }

  let writer: StateWriter
  let queues: @Sendable () -> Set<String>

  func handle(_ action: Action, _ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder)
  {
    let id = request.pathParameters["id"] ?? ""
    let parsed = RequestBody.object(request, allowed: Self.fields(action)).flatMap {
      body -> Result<ActionRequest, CommandFailure> in
      RequestBody.fields { () throws(FieldError) in
        try ActionRequest(action, body: body, by: token.name)
      }
    }
    guard case .success(let command) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    if case .transfer(let queue, _, _) = command.kind, !queues().contains(queue) {
      responder.respond(
        RequestBody.invalid("queue", "unknown queue \"\(queue)\"").response)
      return
    }
    writer.write({ state, now in command.plan(conversationId: id, state: state, now: now) }) {
      result in
      switch result {
      case .success:
        let body = writer.store.read { state -> JSON in
          state.conversations[id].map { ConversationJSON.summary($0) } ?? .null
        }
        responder.respond(.json(200, body.serialized()))
      case .failure(let failure):
        responder.respond(failure.response)
      }
    }
  }

  static func fields(_ action: Action) -> Set<String> {
    switch action {
    case .assign: return ["agent", "reason"]
    case .unassign, .resolve, .reopen, .wait: return ["reason", "agent"]
    case .transfer: return ["queue", "reason", "priority"]
    case .tags: return ["add", "remove"]
    case .notes: return ["text", "author"]
    }
  }
}

/// A checked action request.
struct ActionRequest: Sendable {
  enum Kind: Sendable {
    case assign(agent: String)
    case unassign
    case transfer(queue: String, reason: String?, priority: Int?)
    case resolve
    case reopen
    case wait
    case tags(add: [String], remove: [String])
    case note(text: String, author: String)
  }

  var kind: Kind
  var reason: String?
  /// The API token's name.
  var by: String

  init(_ action: ConversationActionsEndpoint.Action, body: FieldReader, by: String)
    throws(FieldError)
  {
    self.by = by
    reason = try body.optionalString("reason")
    switch action {
    case .assign: kind = .assign(agent: try Self.name(body, "agent"))
    case .unassign: kind = .unassign
    case .transfer:
      kind = .transfer(
        queue: try Self.name(body, "queue"), reason: reason,
        priority: try body.optionalInt("priority").map(Int.init))
    case .resolve: kind = .resolve
    case .reopen: kind = .reopen
    case .wait: kind = .wait
    case .tags:
      let add = try body.strings("add")
      let remove = try body.strings("remove")
      guard !add.isEmpty || !remove.isEmpty else {
        throw FieldError(path: "add", message: "give tags to add or remove")
      }
      for (index, tag) in (add + remove).enumerated() where tag.isEmpty || tag.count > 100 {
        throw FieldError(path: "tags[\(index)]", message: "a tag is 1 to 100 characters")
      }
      kind = .tags(add: add, remove: remove)
    case .notes:
      let text = try body.nonEmptyString("text")
      guard text.count <= 20_000 else {
        throw FieldError(path: "text", message: "at most 20000 characters")
      }
      kind = .note(text: text, author: try body.optionalString("author") ?? by)
    }
  }

  private static func name(_ body: FieldReader, _ key: String) throws(FieldError) -> String {
    let value = try body.nonEmptyString(key)
    guard value.count <= 200 else { throw FieldError(path: key, message: "too long") }
    return value
  }

  /// The events this action appends to conversation `id`, given the current state.
  func plan(conversationId id: String, state: borrowing GatewayState, now: Timestamp) -> Result<
    WritePlan<Void>, CommandFailure
  > {
    guard let record = state.conversations[id] else {
      return .failure(RequestBody.noConversation(id))
    }
    var plan = WritePlan<Void>(outcome: ())
    let stream = StreamKey.conversation(id)
    plan.require(stream, in: state)
    let conversation = record.conversation
    func event(_ type: String, _ change: ConversationChange, _ data: JSONObject) {
      var data = data
      data["by"] = .string(by)
      if let reason, data["reason"] == nil { data["reason"] = .string(reason) }
      plan.events.append(
        PlannedEvent(
          type, at: now, conversationId: id, streams: [stream],
          change: .conversationChanged(change), json: .object(data)))
    }
    switch kind {
    case .assign(let agent) where conversation.assignee != agent:
      event(
        EventType.conversationAssigned, .assigned(agent: agent),
        ["agent": .string(agent), "previous": .optional(conversation.assignee)])
    case .unassign where conversation.assignee != nil:
      event(
        EventType.conversationUnassigned, .unassigned,
        ["previous": .optional(conversation.assignee)])
    case .transfer(let queue, _, let priority)
    where queue != conversation.queue || (priority.map { $0 != conversation.priority } ?? false):
      var data: JSONObject = [
        "from_queue": .string(conversation.queue), "queue": .string(queue),
        "previous_assignee": .optional(conversation.assignee),
      ]
      if let priority { data["priority"] = .int(Int64(priority)) }
      event(EventType.conversationTransferred, .transferred(queue: queue, priority: priority), data)
    case .resolve where conversation.status == .open:
      event(EventType.conversationResolved, .resolved, [:])
    case .reopen where conversation.status == .resolved:
      event(EventType.conversationReopened, .reopened, [:])
    case .wait where conversation.status == .open:
      plan.events.append(
        PlannedEvent(
          EventType.conversationWaiting, at: now, conversationId: id, streams: [stream],
          change: .routingFact(.waitingOnCustomer(now)),
          json: ["by": .string(by), "reason": .optional(reason)]))
    case .tags(let add, let remove):
      var tags = conversation.tags.filter { !remove.contains($0) }
      for tag in add where !tags.contains(tag) { tags.append(tag) }
      guard tags != conversation.tags else { break }
      event(
        EventType.conversationTagged, .tagged(tags),
        [
          "added": .array(add.map(JSON.string)), "removed": .array(remove.map(JSON.string)),
          "tags": .array(tags.map(JSON.string)),
        ])
    case .note(let text, let author):
      let note: JSON = [
        "id": .string(Identifier.make("note", at: now.date)), "text": .string(text),
        "author": .string(author), "created_at": now.json,
      ]
      event(EventType.noteAdded, .touched, ["note": note])
    default:
      break
    }
    return .success(plan)
  }
}
