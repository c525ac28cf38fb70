import Foundation
import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionDelivery
import JunctionHTTP
import JunctionJournal
import JunctionModel
import JunctionSystem

/// A running Junction: journal, state, adapters and the HTTP API, wired together.
///
/// `start()` opens the journal (recovering it), restores state from the newest snapshot,
/// replays what came after, and starts serving. `shutdown()` stops accepting, lets requests in
/// flight finish, snapshots and flushes the journal.
public final class Gateway: Sendable {
  public let configuration: LoadedConfiguration
  public let dataDirectory: String
  public let metrics: MetricsRegistry
  let logger: Logger
  let clock: @Sendable () -> Timestamp
  let journal: FileJournal
  let store: StateStore
  let adapters: [String: any ChannelAdapter]
  let server: HTTPServer
  let writer: StateWriter
  let outbox: OutboxRunner
  let dispatcher: SubscriptionDispatcher
  let secrets: GatewayKeys
  let streams: EventStreamHub
  let partsFlusher: PartsFlusher
  let blobs: BlobStore
  let links: BlobLinks
  let fetcher: AttachmentFetcher
  let routing: RoutingService
  /// Where the routing files are reloaded from (nil: configured in code, no reloads).
  let configDirectory: ConfigDirectory?
  let reloader: RoutingConfigReloader?
  let assigner: PushAssigner
  /// E-mail channels: raw-mail intake and mailbox pollers.
  let mail: MailService
  private let mailTransport: CurlMailTransport
  /// The libcurl client when the gateway made its own transport.
  private let curl: CurlTransport?
  /// Queues helpdesks may transfer to and claim from.
  let queues: @Sendable () -> Set<String>
  private let subscription: any JournalSubscription

  /// Opens the journal in `dataDirectory`, restores state and prepares the server (not yet
  /// listening; call ``start()``).
  public init(
    configuration: LoadedConfiguration, dataDirectory: String, logger: Logger,
    clock: @escaping @Sendable () -> Timestamp = { .now() },
    transport: (any ChannelTransport)? = nil, configDirectory: ConfigDirectory? = nil
  ) throws {
    self.configDirectory = configDirectory
    self.configuration = configuration
    self.dataDirectory = dataDirectory
    self.logger = logger
    self.clock = clock
    let metrics = MetricsRegistry()
    self.metrics = metrics

    let journal = try Self.openJournal(
      configuration.gateway, dataDirectory: dataDirectory, metrics: metrics, logger: logger)
    self.journal = journal
    let store = StateStore(Self.restoreState(journal: journal, logger: logger))
    journal.releaseSnapshot()
    self.store = store
    journal.setSnapshotSource(store)
    logger.info("State restored.", ["last_sequence": store.lastSequence])

    let mailTransport = CurlMailTransport(metrics: metrics)
    self.mailTransport = mailTransport
    let context = AdapterContext(
      publicURL: configuration.gateway.effectivePublicURL, mail: mailTransport,
      history: JournalConversationHistory(journal: journal, store: store))
    var adapters: [String: any ChannelAdapter] = [:]
    for channel in configuration.channels.channels {
      guard let type = AdapterRegistry.adapter(named: channel.adapter) else { continue }
      adapters[channel.id] = try type.init(instance: channel, context: context)
    }
    self.adapters = adapters

    let writer = StateWriter(journal: journal, store: store, metrics: metrics, clock: clock)
    self.writer = writer
    let channelTransport: any ChannelTransport
    if let transport {
      channelTransport = transport
      curl = nil
    } else {
      let own = try CurlTransport(metrics: metrics)
      channelTransport = own
      curl = own
    }
    let transport = channelTransport
    let settings = configuration.gateway.delivery
    secrets = try GatewayKeys.load(dataDirectory: dataDirectory)
    links = BlobLinks(
      publicURL: configuration.gateway.effectivePublicURL, key: secrets.derivedKey("blob-links"),
      clock: clock)
    blobs = try BlobStore(dataDirectory: dataDirectory)
    outbox = OutboxRunner(
      OutboxRunner.Dependencies(
        journal: journal, store: store, writer: writer, adapters: adapters, transport: transport,
        clock: clock, logger: logger, metrics: metrics, settings: settings, links: links))
    fetcher = AttachmentFetcher(
      journal: journal, writer: writer, adapters: adapters, transport: transport, blobs: blobs,
      maxBytes: configuration.gateway.limits.maxAttachmentBytes, logger: logger)
    dispatcher = try SubscriptionDispatcher(
      SubscriptionDispatcher.Dependencies(
        journal: journal, store: store, writer: writer, transport: transport, secrets: secrets,
        clock: clock, logger: logger, settings: settings),
      dataDirectory: dataDirectory, metrics: metrics)
    streams = EventStreamHub(journal: journal, store: store)
    partsFlusher = PartsFlusher(writer: writer, adapters: adapters, logger: logger)
    let compliance = SMSCompliance(writer: writer, adapters: adapters, logger: logger)
    let routing = RoutingService(
      configuration: configuration.routing, writer: writer, journal: journal, adapters: adapters,
      logger: logger, metrics: metrics, isKeyword: compliance.isKeyword)
    self.routing = routing
    reloader = configDirectory.map {
      RoutingConfigReloader(
        directory: $0, routing: routing, writer: writer, logger: logger, metrics: metrics)
    }
    queues = { routing.configuration.queueIds.union(["general"]) }
    let assigner = PushAssigner(writer: writer, routing: routing, logger: logger)
    mail = try MailService(
      adapters: adapters, transport: mailTransport,
      intake: MailIntake(
        writer: writer, blobs: blobs,
        policy: IngestPlanner.Policy(
          reopenWindow: configuration.gateway.conversations.reopenWindow)),
      journal: journal, logger: logger, clock: clock, metrics: metrics,
      inboundRate: configuration.gateway.limits.inboundPerChannel)
    self.assigner = assigner
    let (outbox, dispatcher, streams, fetcher) = (outbox, dispatcher, streams, fetcher)
    subscription = try journal.follow(after: store.lastSequence) { records in
      store.apply(records)
      outbox.observe(records)
      fetcher.observe(records)
      routing.observe(records)
      assigner.observe(records)
      compliance.observe(records)
      dispatcher.observe(records)
      streams.wake()
    }

    let router = HTTPRouter()
    server = HTTPServer(
      configuration: Self.serverConfiguration(configuration.gateway), router: router,
      metrics: metrics)
    mail.registerRoutes(router)
    registerRoutes(router)
  }

  /// Starts listening; returns once the socket is bound.
  public func start() throws {
    outbox.start()
    fetcher.start()
    routing.start()
    assigner.start()
    reloader?.start()
    dispatcher.start()
    partsFlusher.start()
    mail.start()
    try server.start()
    for warning in configuration.warnings {
      logger.warning("Configuration uses a shipped default secret.", ["where": warning.description])
    }
    logger.info(
      "Junction is listening.",
      ["address": "\(configuration.gateway.listenHost):\(server.port)", "channels": adapters.count])
  }

  /// Reloads the routing files now (SIGHUP).
  public func reloadRouting() { reloader?.reloadNow() }

  /// The bound port.
  public var port: Int { server.port }

  /// Graceful stop: no new connections, requests in flight finish, journal snapshotted and
  /// flushed.
  public func shutdown() {
    logger.info("Shutting down.")
    server.shutdown()
    mail.shutdown()
    streams.shutdown()
    partsFlusher.stop()
    reloader?.stop()
    assigner.shutdown()
    routing.shutdown()
    outbox.shutdown()
    fetcher.shutdown()
    dispatcher.shutdown()
    curl?.shutdown(gracePeriod: 1)
    mailTransport.shutdown()
    do {
      try journal.snapshotNow()
    } catch {
      logger.warning("Final snapshot failed.", ["error": error])
    }
    subscription.cancel()
    journal.close()
    logger.info("Journal flushed; bye.", ["last_sequence": journal.lastSequence])
  }

  static func openJournal(
    _ gateway: GatewayConfig, dataDirectory: String, metrics: MetricsRegistry, logger: Logger
  ) throws -> FileJournal {
    var options = FileJournalOptions()
    options.fsync = gateway.journal.fsync == "none" ? .none : .group
    options.segmentBytes = gateway.journal.segmentBytes
    options.snapshotEvery = UInt64(gateway.journal.snapshotEvery)
    options.preallocate = gateway.journal.preallocate
    let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("journal").path
    let journal = try FileJournal.open(directory: directory, options: options, metrics: metrics)
    logger.info("Journal opened.", ["directory": directory, "recovery": journal.recovery])
    if gateway.journal.fsync == "none" {
      logger.warning("Journal fsync is off: acknowledged messages can be lost on a crash.")
    }
    return journal
  }

  static func restoreState(journal: FileJournal, logger: Logger) -> GatewayState {
    guard let snapshot = journal.snapshot else { return GatewayState() }
    do {
      let state = try GatewayState(snapshotBytes: snapshot.state)
      if state.lastSequence == snapshot.sequence { return state }
      logger.warning("Snapshot state does not match its sequence; replaying the whole journal.")
    } catch {
      logger.warning("Snapshot state unreadable; replaying the whole journal.", ["error": error])
    }
    return GatewayState()
  }

  static func serverConfiguration(_ gateway: GatewayConfig) -> HTTPServerConfiguration {
    var server = HTTPServerConfiguration()
    server.host = gateway.listenHost
    server.port = gateway.listenPort
    if gateway.limits.workers > 0 { server.workers = gateway.limits.workers }
    server.pinLoops = gateway.limits.pinWorkers
    server.maxHeadBytes = gateway.limits.maxHeadBytes
    server.defaultMaxBodyBytes = gateway.limits.maxBodyBytes
    server.headTimeout = gateway.limits.headTimeout
    server.bodyTimeout = gateway.limits.bodyTimeout
    server.idleTimeout = gateway.limits.idleTimeout
    server.maxConnections = gateway.limits.maxConnections
    return server
  }
}
