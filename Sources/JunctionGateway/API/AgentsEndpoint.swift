import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionRouting

/// Agents for push assignment: `PUT /v1/agents/{id}` (scope `write`) with `{"skills": [...],
/// "capacity": {"chat": 3, "email": 10, "sms": 5}, "status": "available"|"away"|"offline",
/// "queues": [...]}`; `GET /v1/agents` (scope `read`) with each agent's load; and the agent's
/// answer to an offer, `POST /v1/conversations/{id}/accept` and `/decline` `{"agent": "…"}`.
struct AgentsEndpoint: Sendable {
  let writer: StateWriter
  let assigner: PushAssigner

  func put(_ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    guard !id.isEmpty, id.count <= 200 else {
      responder.respond(RequestBody.invalid("id", "1 to 200 characters").response)
      return
    }
    let json: JSON
    do {
      json = try JSON.parse(request.body)
    } catch {
      responder.respond(.error(400, code: "invalid_json", message: error.description))
      return
    }
    let profile: AgentProfile
    do {
      profile = try AgentProfile(id: id, json: json)
    } catch {
      responder.respond(RequestBody.invalid(error).response)
      return
    }
    writer.write({ state, now in
      var plan = WritePlan<Void>(outcome: ())
      let stream = StreamKey.agent(id)
      plan.require(stream, in: state)
      plan.events.append(
        PlannedEvent(
          EventType.agentUpdated, at: now, streams: [stream], change: .agentUpdated(profile),
          json: ["agent": profile.json, "by": .string(token.name)]))
      return .success(plan)
    }) { [writer] result in
      switch result {
      case .success:
        let body = writer.store.read { Self.describe(profile, state: $0) }
        responder.respond(.json(200, body.serialized()))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }

  func list(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let body = writer.store.read { state -> JSON in
      [
        "agents": .array(
          state.agents.values.sorted { $0.id < $1.id }.map { Self.describe($0, state: state) })
      ]
    }
    responder.respond(.json(200, body.serialized()))
  }

  /// The agent's profile with the conversations they hold and are offered.
  static func describe(_ agent: AgentProfile, state: borrowing GatewayState) -> JSON {
    var object = agent.json.objectValue ?? JSONObject()
    let held = (state.holding[agent.id] ?? []).sorted()
    object["conversations"] = .array(held.map(JSON.string))
    var offered: [JSON] = []
    for (id, record) in state.conversations where record.offer?.agent == agent.id {
      offered.append([
        "conversation_id": .string(id), "expires_at": record.offer?.expiresAt.json ?? .null,
      ])
    }
    object["offers"] = .array(offered)
    return .object(object)
  }

  func answer(
    accept: Bool, _ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder
  ) {
    let id = request.pathParameters["id"] ?? ""
    let parsed = RequestBody.object(request, allowed: ["agent"]).flatMap { body in
      RequestBody.fields { () throws(FieldError) in try body.nonEmptyString("agent") }
    }
    guard case .success(let agent) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    let assignment = assigner.assignment
    writer.write({ state, now -> Result<WritePlan<Void>, CommandFailure> in
      guard state.conversations[id] != nil else { return .failure(RequestBody.noConversation(id)) }
      let machine = assignment.machine(state)
      let decided =
        accept
        ? machine.accept(conversation: id, agent: agent, at: now)
        : machine.decline(conversation: id, agent: agent, at: now)
      switch decided {
      case .failure(let rejection):
        return .failure(
          .rejected(
            .error(
              409, code: rejection.rawValue,
              message: rejection == .expired
                ? "the offer has expired" : "no offer of this conversation is open for \(agent)")))
      case .success(let action):
        return .success(assignment.plan([action], state: state, now: now))
      }
    }) { [writer] result in
      switch result {
      case .success:
        let body = writer.store.read { state -> JSON in
          state.conversations[id].map { ConversationJSON.summary($0) } ?? .null
        }
        responder.respond(.json(200, body.serialized()))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }
}
