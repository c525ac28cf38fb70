import JunctionConfig
import JunctionDelivery
import JunctionHTTP
import JunctionModel

/// Webhook subscriptions (scope `write`): `POST /v1/subscriptions`, `GET /v1/subscriptions`,
/// `GET`/`DELETE /v1/subscriptions/{id}`, `POST /v1/subscriptions/{id}/replay`,
/// `POST /v1/subscriptions/{id}/enable`.
struct SubscriptionsEndpoint: Sendable {
  let writer: StateWriter
  let dispatcher: SubscriptionDispatcher
  let secrets: GatewayKeys

  func create(_ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder) {
    let parsed = RequestBody.object(request, allowed: ["url", "types", "queues"]).flatMap {
      body in
      RequestBody.fields { () throws(FieldError) -> (String, [String], [String]) in
        let url = try body.nonEmptyString("url")
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count <= 2048 else {
          throw FieldError(path: "url", message: "expected an http(s) URL")
        }
        let types = try body.strings("types")
        for (index, type) in types.enumerated()
        where type.isEmpty || type.contains(where: { $0 == "," || $0 == " " }) {
          throw FieldError(path: "types[\(index)]", message: "not an event type")
        }
        return (url, types, try body.strings("queues"))
      }
    }
    guard case .success(let (url, types, queues)) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    SubscriptionCommands.create(
      url: url, types: types, queues: queues, by: token.name, writer: writer
    ) { [secrets] result in
      switch result {
      case .success(let subscription):
        var body = subscription.json.objectValue ?? JSONObject()
        body["secret"] = .string(secrets.secret(for: subscription.id))
        responder.respond(.json(201, JSON.object(body).serialized()))
      case .failure(let failure):
        responder.respond(failure.response)
      }
    }
  }

  func list(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let subscriptions = writer.store.read { state in
      state.subscriptions.values.sorted { $0.id < $1.id }
    }
    let body: JSON = ["subscriptions": .array(subscriptions.map(\.json))]
    responder.respond(.json(200, body.serialized()))
  }

  func get(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    guard let subscription = writer.store.read({ $0.subscriptions[id] }) else {
      responder.respond(.error(404, code: "not_found", message: "no subscription \(id)"))
      return
    }
    var body = subscription.json.objectValue ?? JSONObject()
    body["secret"] = .string(secrets.secret(for: id))
    body["delivery"] = dispatcher.status(of: id)
    responder.respond(.json(200, JSON.object(body).serialized()))
  }

  func delete(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    SubscriptionCommands.change(
      id, EventType.subscriptionDeleted, writer: writer, change: { _ in .deleted(id: id) }
    ) { result in
      switch result {
      case .success: responder.respond(HTTPResponse(status: 204))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }

  func replay(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    let parsed = RequestBody.object(request, allowed: ["after"]).flatMap { body in
      RequestBody.fields { () throws(FieldError) -> UInt64 in
        let after = try body.int("after")
        guard after >= 0 else { throw FieldError(path: "after", message: "must be ≥ 0") }
        return UInt64(after)
      }
    }
    guard case .success(let after) = parsed else {
      if case .failure(let failure) = parsed { responder.respond(failure.response) }
      return
    }
    SubscriptionCommands.change(
      id, EventType.subscriptionReplayed, data: ["after": .int(Int64(after))], writer: writer,
      change: { offset in .replayed(id: id, after: after, offset: offset) }
    ) { result in
      switch result {
      case .success:
        let body: JSON = ["subscription_id": .string(id), "replaying_after": .int(Int64(after))]
        responder.respond(.json(202, body.serialized()))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }

  func enable(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    let disabled = writer.store.read { $0.subscriptions[id]?.isDisabled ?? false }
    SubscriptionCommands.change(
      id, EventType.subscriptionEnabled, writer: writer,
      change: { _ in disabled ? .enabled(id: id) : nil }
    ) { [writer] result in
      switch result {
      case .success:
        let body = writer.store.read { $0.subscriptions[id]?.json ?? .null }
        responder.respond(.json(200, body.serialized()))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }
}
