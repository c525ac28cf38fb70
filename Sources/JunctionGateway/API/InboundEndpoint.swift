import JunctionChannels
import JunctionHTTP
import JunctionModel

/// `POST` and `GET /v1/inbound/{channel}`: hand the request to the channel's adapter, journal
/// what it parsed, and answer the provider only once that is durable.
struct InboundEndpoint: Sendable {
  let adapters: [String: any ChannelAdapter]
  let ingest: IngestService
  let clock: @Sendable () -> Timestamp
  let limiter: RequestRateLimiter

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    guard let channel = request.pathParameters["channel"], let adapter = adapters[channel] else {
      responder.respond(
        .error(404, code: "unknown_channel", message: "no channel with this id in channels.json"))
      return
    }
    if let limited = limiter.check(channel) {
      responder.respond(limited)
      return
    }
    switch adapter.receive(request, now: clock()) {
    case .respond(let response), .reject(let response):
      responder.respond(response)
    case .ingest(let items) where items.isEmpty:
      responder.respond(adapter.acknowledge([]))
    case .ingest(let items):
      ingest.ingest(items, channel: channel) { result in
        switch result {
        case .success(let outcomes):
          // This runs on the journal's writer: the acknowledgement is written on the loop.
          responder.respond { adapter.acknowledge(outcomes) }
        case .failure(let failure):
          responder.respond(failure.response)
        }
      }
    }
  }
}
