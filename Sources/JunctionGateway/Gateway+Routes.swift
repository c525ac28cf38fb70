import JunctionConfig
import JunctionHTTP
import JunctionModel

extension Gateway {
  /// Every endpoint of the public contract that exists so far.
  func registerRoutes(_ router: HTTPRouter) {
    let limits = configuration.gateway.limits
    let auth = Authenticator(tokens: configuration.gateway.tokens)
    let ingest = IngestService(
      writer: writer,
      policy: IngestPlanner.Policy(reopenWindow: configuration.gateway.conversations.reopenWindow))
    let inbound = InboundEndpoint(
      adapters: adapters, ingest: ingest, clock: clock,
      limiter: RequestRateLimiter(rate: limits.inboundPerChannel, metrics: metrics, kind: "channel")
    )
    let tokenLimiter = RequestRateLimiter(rate: limits.apiPerToken, metrics: metrics, kind: "token")
    let feed = EventFeedEndpoint(journal: journal)
    let conversations = ConversationEndpoint(journal: journal, store: store)
    let list = ConversationListEndpoint(store: store)
    let actions = ConversationActionsEndpoint(writer: writer, queues: queues)
    let replies = ReplyEndpoint(writer: writer, adapters: adapters)
    let routing = self.routing
    let queueAPI = QueuesEndpoint(
      writer: writer, queues: queues,
      deadline: { id, state in routing.plans.slaClock(id, state: state)?.deadline?.dueAt },
      priority: { id, state, now in routing.plans.priority(id, state: state, now: now) })
    let subscriptions = SubscriptionsEndpoint(
      writer: writer, dispatcher: dispatcher, secrets: secrets)
    let files = AttachmentsEndpoint(writer: writer, blobs: blobs, links: links)
    let journal = self.journal
    let outbox = self.outbox
    let streams = self.streams
    let mail = self.mail
    let operations = OperationsEndpoints(metrics: metrics) {
      var report = HealthReport()
      report.details["journal"] = ["last_sequence": .int(Int64(journal.lastSequence))]
      report.details["outbox"] = ["pending": .int(Int64(outbox.pendingCount))]
      report.details["event_streams"] = ["open": .int(Int64(streams.count))]
      mail.report(into: &report)
      return report
    }

    func limit(_ name: String) -> Int? { limits.routeBodyBytes[name] }
    func guarded(_ scope: Scope, _ handler: @escaping HTTPHandler) -> HTTPHandler {
      { request, responder in
        switch auth.authorize(request, scope: scope) {
        case .success(let token):
          if let limited = tokenLimiter.check(token.name) { return responder.respond(limited) }
          handler(request, responder)
        case .failure(let rejection): responder.respond(rejection.response)
        }
      }
    }
    func guarded(
      _ scope: Scope, _ handler: @escaping @Sendable (HTTPRequest, APIToken, HTTPResponder) -> Void
    ) -> HTTPHandler {
      { request, responder in
        switch auth.authorize(request, scope: scope) {
        case .success(let token):
          if let limited = tokenLimiter.check(token.name) { return responder.respond(limited) }
          handler(request, token, responder)
        case .failure(let rejection): responder.respond(rejection.response)
        }
      }
    }

    let inboundPattern = "/v1/inbound/{channel}"
    router.add(
      .post, inboundPattern, maxBodyBytes: limit("POST \(inboundPattern)"), handler: inbound.handle)
    router.add(
      .get, inboundPattern, maxBodyBytes: limit("GET \(inboundPattern)"), handler: inbound.handle)
    router.add(.get, "/v1/events", handler: guarded(.read, feed.handle))
    router.add(.get, "/v1/events/stream", handler: guarded(.read, streams.handle))
    router.add(.get, "/v1/conversations", handler: guarded(.read, list.handle))
    router.add(.get, "/v1/conversations/{id}", handler: guarded(.read, conversations.handle))
    router.add(.post, "/v1/conversations/{id}/messages", handler: guarded(.write, replies.handle))
    for action in ConversationActionsEndpoint.Action.allCases {
      router.add(
        .post, "/v1/conversations/{id}/\(action.rawValue)",
        handler: guarded(.write) { request, token, responder in
          actions.handle(action, request, token: token, responder)
        })
    }
    let agents = AgentsEndpoint(writer: writer, assigner: assigner)
    router.add(.put, "/v1/agents/{id}", handler: guarded(.write, agents.put))
    router.add(.get, "/v1/agents", handler: guarded(.read, agents.list))
    router.add(
      .post, "/v1/conversations/{id}/accept",
      handler: guarded(.write) { agents.answer(accept: true, $0, token: $1, $2) })
    router.add(
      .post, "/v1/conversations/{id}/decline",
      handler: guarded(.write) { agents.answer(accept: false, $0, token: $1, $2) })
    router.add(.get, "/v1/queues", handler: guarded(.read, queueAPI.list))
    router.add(.post, "/v1/queues/{id}/claim", handler: guarded(.write, queueAPI.claim))
    router.add(.post, "/v1/subscriptions", handler: guarded(.write, subscriptions.create))
    router.add(.get, "/v1/subscriptions", handler: guarded(.write, subscriptions.list))
    router.add(.get, "/v1/subscriptions/{id}", handler: guarded(.write, subscriptions.get))
    router.add(.delete, "/v1/subscriptions/{id}", handler: guarded(.write, subscriptions.delete))
    router.add(
      .post, "/v1/subscriptions/{id}/replay", handler: guarded(.write, subscriptions.replay))
    router.add(
      .post, "/v1/subscriptions/{id}/enable", handler: guarded(.write, subscriptions.enable))
    router.add(.get, "/v1/attachments/{id}", handler: guarded(.read, files.get))
    router.add(
      .post, "/v1/attachments", maxBodyBytes: limits.maxAttachmentBytes,
      handler: guarded(.write, files.upload))
    router.add(.get, "/v1/blobs/{id}", handler: files.signed)
    router.add(
      .post, "/v1/admin/route-preview",
      handler: guarded(.admin) { request, _, responder in
        RoutePreview.handle(request, routing: routing, responder)
      })
    if let reloader, let configDirectory {
      let admin = AdminEndpoint(
        routing: routing, reloader: reloader, store: store, directory: configDirectory)
      router.add(.get, "/v1/admin/config", handler: guarded(.admin, admin.config))
      router.add(.post, "/v1/admin/config/validate", handler: guarded(.admin, admin.validate))
      router.add(.put, "/v1/admin/config", handler: guarded(.admin, admin.replace))
    }
    router.add(.get, "/healthz", handler: operations.healthz)
    router.add(.get, "/metrics", handler: operations.metrics)
  }
}
