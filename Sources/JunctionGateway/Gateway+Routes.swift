import JunctionConfig
import JunctionHTTP
import JunctionModel

extension Gateway {
  /// Every endpoint of the public contract that exists so far.
  func registerRoutes(_ router: HTTPRouter) {
    let limits = configuration.gateway.limits
    let auth = Authenticator(tokens: configuration.gateway.tokens)
    let ingest = IngestService(journal: journal, store: store, metrics: metrics, clock: clock)
    let inbound = InboundEndpoint(adapters: adapters, ingest: ingest, clock: clock)
    let feed = EventFeedEndpoint(journal: journal)
    let conversations = ConversationEndpoint(journal: journal, store: store)
    let journal = self.journal
    let operations = OperationsEndpoints(metrics: metrics) {
      var report = HealthReport()
      report.details["journal"] = ["last_sequence": .int(Int64(journal.lastSequence))]
      return report
    }

    func limit(_ name: String) -> Int? { limits.routeBodyBytes[name] }
    func guarded(_ scope: Scope, _ handler: @escaping HTTPHandler) -> HTTPHandler {
      { request, responder in
        switch auth.authorize(request, scope: scope) {
        case .success: handler(request, responder)
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
    router.add(.get, "/v1/conversations/{id}", handler: guarded(.read, conversations.handle))
    router.add(.get, "/healthz", handler: operations.healthz)
    router.add(.get, "/metrics", handler: operations.metrics)
  }
}
