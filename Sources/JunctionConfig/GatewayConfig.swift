import JunctionModel

/// What an API token may do.
public enum Scope: String, Sendable, CaseIterable {
  /// Read events, conversations, queues, attachments.
  case read
  /// Reply, assign, transfer, resolve, claim, subscribe.
  case write
  /// Read and change configuration, preview routing.
  case admin
}

/// A bearer token declared in `gateway.json`.
public struct APIToken: Sendable, Equatable {
  public var name: String
  public var token: String
  public var scopes: Set<Scope>

  public init(name: String, token: String, scopes: Set<Scope>) {
    self.name = name
    self.token = token
    self.scopes = scopes
  }
}

/// `gateway.json`: how the gateway listens, where it keeps data, who may call it.
///
/// Every default lives here, in one place (STYLE.md rule 4).
public struct GatewayConfig: Sendable, Equatable {
  public var listenHost = "127.0.0.1"
  public var listenPort = 8080
  public var dataDirectory = "data"
  /// The URL providers and helpdesks reach this gateway at (for callbacks such as Twilio's
  /// `StatusCallback`); defaults to `http://<listen>`.
  public var publicURL: String?
  public var tokens: [APIToken] = []
  public var limits = Limits()
  public var journal = JournalSettings()
  public var conversations = ConversationSettings()
  public var delivery = DeliverySettings()

  /// How conversations open and close.
  public struct ConversationSettings: Sendable, Equatable {
    /// A customer message this many seconds after their conversation was resolved reopens
    /// it; later messages open a new conversation. 0: always a new one.
    public var reopenWindow = 0.0
    public init() {}
  }

  /// Outbound sends and webhook deliveries.
  public struct DeliverySettings: Sendable, Equatable {
    /// How long an outbound send keeps being retried before it fails.
    public var sendRetryFor = 86_400.0
    /// Sends in flight at once per channel instance.
    public var sendConcurrency = 32
    /// Seconds to wait for a helpdesk's webhook receiver.
    public var webhookTimeout = 15.0
    /// Deliveries in flight at once per subscription (different conversations).
    public var webhookConcurrency = 16
    /// A subscription failing this long without a success is disabled.
    public var disableAfter = 5 * 86_400.0
    public init() {}
  }

  /// HTTP limits.
  public struct Limits: Sendable, Equatable {
    public var maxHeadBytes = 16 * 1024
    public var maxBodyBytes = 1 << 20
    /// Per-route body limits by route name (`"POST /v1/inbound/{channel}"`).
    public var routeBodyBytes: [String: Int] = [:]
    public var maxConnections = 10_000
    /// Largest attachment Junction fetches from a provider or accepts as an upload.
    public var maxAttachmentBytes = 25 << 20
    public var headTimeout = 10.0
    public var bodyTimeout = 30.0
    public var idleTimeout = 60.0
    /// Event-loop threads; 0 means one per available core.
    public var workers = 0
    /// Pin each event loop to a CPU of its own (when there are no more loops than CPUs).
    public var pinWorkers = true
    /// Restart `serve` once at start-up so glibc's allocator uses transparent huge pages.
    public var hugePages = true
    /// Webhook requests per second one channel instance may send (bursts up to twice that);
    /// more are answered 429 with `Retry-After`. 0: unlimited.
    public var inboundPerChannel = 5000.0
    /// API requests per second one token may make; more get 429. 0: unlimited.
    public var apiPerToken = 1000.0
    public init() {}
  }

  /// How the journal writes.
  public struct JournalSettings: Sendable, Equatable {
    /// `group`: one fsync per batch of appends (durable). `none`: never fsync (benchmarks only).
    public var fsync = "group"
    public var segmentBytes = 64 << 20
    public var snapshotEvery = 100_000
    /// Zero-fill the next segment ahead of time so commits do not grow files.
    public var preallocate = true
    public init() {}
  }

  public init() {}

  /// The public base URL, derived from the listen address when not configured.
  public var effectivePublicURL: String {
    publicURL ?? "http://\(listenHost):\(listenPort)"
  }

  /// Parses `host:port`; nil when malformed.
  public static func parseListen(_ text: String) -> (host: String, port: Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    return (host, port)
  }

  /// Reads `gateway.json` (already environment-interpolated); problems go to `context`.
  public init(json: JSON, context: ConfigContext) {
    let root = ConfigObject(json, path: "", context: context)
    if let listen = root.string("listen") {
      if let parsed = Self.parseListen(listen) {
        (listenHost, listenPort) = parsed
      } else {
        context.issue("listen", "expected HOST:PORT, found \"\(listen)\"")
      }
    }
    dataDirectory = root.nonEmptyString("data_dir") ?? dataDirectory
    publicURL = root.nonEmptyString("public_url")
    tokens = Self.readTokens(root, context: context)
    if let limitsObject = root.object("limits") { limits = Limits(limitsObject) }
    if let journalObject = root.object("journal") { journal = JournalSettings(journalObject) }
    if let object = root.object("conversations") {
      conversations.reopenWindow = object.timerDuration("reopen_window") ?? 0
      object.finish()
    }
    if let object = root.object("delivery") { delivery = DeliverySettings(object) }
    root.finish()
  }

  private static func readTokens(_ root: ConfigObject, context: ConfigContext) -> [APIToken] {
    var tokens: [APIToken] = []
    var names: Set<String> = []
    var values: Set<String> = []
    for entry in root.objects("tokens") ?? [] {
      let name = entry.nonEmptyString("name", required: true)
      let token = entry.nonEmptyString("token", required: true)
      entry.warnIfDefaultSecret("token")
      var scopes: Set<Scope> = []
      let scopeNames = entry.strings("scopes", required: true) ?? []
      for (index, scopeName) in scopeNames.enumerated() {
        if let scope = Scope(rawValue: scopeName) {
          scopes.insert(scope)
        } else {
          context.issue(
            "\(entry.path("scopes"))[\(index)]",
            "unknown scope \"\(scopeName)\" (expected read, write or admin)")
        }
      }
      entry.finish()
      if let token, token.count < 16 {
        context.issue(entry.path("token"), "must be at least 16 characters")
      }
      if let name, !names.insert(name).inserted {
        context.issue(entry.path("name"), "duplicate token name \"\(name)\"")
      }
      if let token, !values.insert(token).inserted {
        context.issue(entry.path("token"), "the same token value is declared twice")
      }
      if let name, let token { tokens.append(APIToken(name: name, token: token, scopes: scopes)) }
    }
    return tokens
  }
}

extension GatewayConfig.Limits {
  init(_ object: ConfigObject) {
    self.init()
    maxHeadBytes = object.bytes("max_head_bytes") ?? maxHeadBytes
    maxBodyBytes = object.bytes("max_body_bytes") ?? maxBodyBytes
    if let routes = object.object("route_body_bytes") {
      for key in routes.object.keys {
        if let size = routes.bytes(key) { routeBodyBytes[key] = size }
      }
      routes.finish()
    }
    maxConnections = object.int("max_connections", range: 1...1_000_000) ?? maxConnections
    maxAttachmentBytes = object.bytes("max_attachment_bytes") ?? maxAttachmentBytes
    inboundPerChannel =
      object.double("inbound_per_channel", range: 0...1_000_000) ?? inboundPerChannel
    apiPerToken = object.double("api_per_token", range: 0...1_000_000) ?? apiPerToken
    headTimeout = object.timerDuration("head_timeout") ?? headTimeout
    bodyTimeout = object.timerDuration("body_timeout") ?? bodyTimeout
    idleTimeout = object.timerDuration("idle_timeout") ?? idleTimeout
    workers = object.int("workers", range: 0...256) ?? workers
    pinWorkers = object.bool("pin_workers") ?? pinWorkers
    hugePages = object.bool("huge_pages") ?? hugePages
    object.finish()
  }
}

extension GatewayConfig.JournalSettings {
  init(_ object: ConfigObject) {
    self.init()
    fsync = object.string("fsync", allowed: ["group", "none"]) ?? fsync
    segmentBytes = object.bytes("segment_bytes") ?? segmentBytes
    if segmentBytes < 1 << 16 {
      object.context.issue(object.path("segment_bytes"), "must be at least 64KiB")
      segmentBytes = 1 << 16
    }
    snapshotEvery = object.int("snapshot_every", range: 0...100_000_000) ?? snapshotEvery
    preallocate = object.bool("preallocate") ?? preallocate
    object.finish()
  }
}

extension GatewayConfig.DeliverySettings {
  init(_ object: ConfigObject) {
    self.init()
    sendRetryFor = object.timerDuration("send_retry_for") ?? sendRetryFor
    sendConcurrency = object.int("send_concurrency", range: 1...10_000) ?? sendConcurrency
    webhookTimeout = object.timerDuration("webhook_timeout") ?? webhookTimeout
    webhookConcurrency = object.int("webhook_concurrency", range: 1...1000) ?? webhookConcurrency
    disableAfter = object.timerDuration("disable_after") ?? disableAfter
    object.finish()
  }
}
