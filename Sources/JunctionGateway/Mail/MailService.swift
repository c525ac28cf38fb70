import Dispatch
import JunctionChannels
import JunctionHTTP
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Everything the gateway does for e-mail channels: the HTTP intake of raw mail
/// (`POST /v1/inbound/{channel}`, registered ahead of the generic webhook route with the
/// channel's own body limit), one ``MailboxPoller`` per channel with a mailbox, and their
/// health.
final class MailService: Sendable {
  let adapters: [String: any MailChannelAdapter]
  let intake: MailIntake
  let pollers: [String: MailboxPoller]
  let limiter: RequestRateLimiter

  // swift-format-ignore: ParameterCount
  init(
    adapters all: [String: any ChannelAdapter], transport: any MailTransport, intake: MailIntake,
    journal: any Journal, logger: Logger, clock: @escaping @Sendable () -> Timestamp,
    metrics: MetricsRegistry, inboundRate: Double
  ) throws {
    var adapters: [String: any MailChannelAdapter] = [:]
    var pollers: [String: MailboxPoller] = [:]
    for (channel, adapter) in all {
      guard let mail = adapter as? any MailChannelAdapter else { continue }
      adapters[channel] = mail
      guard let settings = mail.mailbox else { continue }
      pollers[channel] = try MailboxPoller(
        channel: channel, adapter: mail, settings: settings,
        session: transport.mailbox(on: settings.server), intake: intake, journal: journal,
        logger: logger, clock: clock, metrics: metrics)
    }
    self.adapters = adapters
    self.pollers = pollers
    self.intake = intake
    limiter = RequestRateLimiter(rate: inboundRate, metrics: metrics, kind: "channel")
  }

  /// Registers `POST /v1/inbound/<channel>` for every e-mail channel (call before the
  /// generic `{channel}` route so these match first).
  func registerRoutes(_ router: HTTPRouter) {
    for (channel, adapter) in adapters.sorted(by: { $0.key < $1.key }) {
      let endpoint = MailInboundEndpoint(
        channel: channel, adapter: adapter, intake: intake, limiter: limiter)
      router.add(
        .post, "/v1/inbound/\(channel)", name: "POST /v1/inbound/{channel}",
        maxBodyBytes: adapter.maxMessageBytes, handler: endpoint.handle)
    }
  }

  func start() {
    for poller in pollers.values { poller.start() }
  }

  func shutdown() {
    for poller in pollers.values { poller.stop() }
  }

  /// Adds each mailbox's problem and details (`mailbox:<channel>`) to a health report.
  func report(into report: inout HealthReport) {
    for (channel, poller) in pollers {
      let name = "mailbox:\(channel)"
      if let problem = poller.problem { report.problems[name] = problem }
      report.details[name] = poller.details
    }
  }
}

/// `POST /v1/inbound/{channel}` of an e-mail channel: a raw RFC 5322 message
/// (`Content-Type: message/rfc822`, `Authorization: Bearer <inbound_token>`), answered once
/// it and its files are durable.
struct MailInboundEndpoint: Sendable {
  let channel: String
  let adapter: any MailChannelAdapter
  let intake: MailIntake
  let limiter: RequestRateLimiter

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    if let limited = limiter.check(channel) { return responder.respond(limited) }
    if let rejection = adapter.checkRawMail(request) { return responder.respond(rejection) }
    let (adapter, intake, channel) = (adapter, intake, channel)
    let body = request.body
    DispatchTaskExecutor.shared.run {
      let parsed = adapter.parseMail(body)
      guard parsed.item != nil else {
        if parsed.note == "too_large" {
          return responder.respond(
            .error(413, code: "body_too_large", message: "the message is too large"))
        }
        let answer: JSON = ["ok": true, "ignored": .optional(parsed.note)]
        return responder.respond(.json(200, answer.serialized()))
      }
      switch await intake.ingest([parsed], channel: channel) {
      case .success(let outcomes): responder.respond(adapter.acknowledge(outcomes))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }
}
