import JunctionConfig
import JunctionHTTP
import JunctionModel

/// What the gateway tells an adapter about the deployment it runs in.
public struct AdapterContext: Sendable {
  /// The gateway's public base URL (`gateway.json` `public_url`).
  public var publicURL: String
  /// SMTP and IMAP for e-mail channels (nil where the gateway offers none).
  public var mail: (any MailTransport)?
  /// Earlier messages of a conversation, for sends that continue a thread (nil: none).
  public var history: (any ConversationHistory)?

  /// A context; `mail` and `history` are given by the gateway.
  public init(
    publicURL: String, mail: (any MailTransport)? = nil,
    history: (any ConversationHistory)? = nil
  ) {
    self.publicURL = publicURL
    self.mail = mail
    self.history = history
  }

  /// The URL providers post this channel instance's webhooks to.
  public func inboundURL(channel: String) -> String {
    let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    return "\(base)/v1/inbound/\(channel)"
  }
}

/// What to do with an inbound request, decided by the adapter.
public enum InboundDecision: Sendable {
  /// Answer at once and store nothing: handshakes (`hub.challenge`, VK `confirmation`) and
  /// requests that carry nothing to keep.
  case respond(HTTPResponse)
  /// The request failed verification or is malformed: answer with this error (401, 400 …);
  /// nothing is stored.
  case reject(HTTPResponse)
  /// Store these items durably, then answer with ``ChannelAdapter/acknowledge(_:)``. An empty
  /// list (only echoes or service messages) is acknowledged without writing.
  case ingest([InboundItem])
}

/// A channel adapter: the only place that knows a provider's protocol.
///
/// One adapter type per folder under `adapters/`, listed once in the registry. The gateway
/// makes one instance per channel in `channels.json`. Inbound, the adapter verifies and parses;
/// the gateway journals and then asks the adapter for the provider's answer — a provider is
/// acknowledged only after its items are durable. Outbound, the adapter renders a message into
/// provider calls made through a ``ChannelTransport`` and classifies the result.
public protocol ChannelAdapter: Sendable {
  /// Name, settings spec and capabilities.
  static var manifest: ChannelManifest { get }

  /// Makes an adapter for one channel instance whose settings already passed the manifest's
  /// specs. Throws when settings are inconsistent in a way specs cannot express.
  init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError)

  /// The instance this adapter serves.
  var instance: ChannelInstanceConfig { get }

  /// Verifies and parses a webhook (`POST` or `GET /v1/inbound/{channel}`).
  ///
  /// Called on an HTTP event-loop thread: must not block or do I/O. `now` is the gateway's
  /// clock (signature timestamp tolerance).
  func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision

  /// The provider's answer once the items of an `.ingest` decision are durable, one outcome
  /// per item in order. Called on any thread; must not block.
  func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse

  /// Sends one outbound message. Called by the outbox on a delivery task; may be retried with
  /// the same ``OutboundMessage/messageId`` (use it as the provider's idempotency key where the
  /// provider has one). Never throws: every failure is classified in the result.
  func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult

  /// Whether the adapter can still reach a customer outside the channel's reply window (a
  /// configured WhatsApp template). The send policy refuses replies outside the window
  /// otherwise. Default: false.
  var hasReplyWindowFallback: Bool { get }

  /// Fetches an inbound attachment's bytes from the provider (Telegram `getFile`, WhatsApp
  /// media by id with the access token, a plain URL for others) so Junction can keep its own
  /// copy in the blob store. Called by the attachment fetcher on a background task, retried on
  /// `.retry`; never blocks the message itself. At most `maxBytes` may be read: larger files
  /// fail with code `too_large`. Default: GET `attachment.url`.
  func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int) async
    -> DownloadResult
}

extension ChannelAdapter {
  public var hasReplyWindowFallback: Bool { false }

  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    guard let url = attachment.url else {
      return .failed(ProviderError(code: "no_url", message: "the attachment has no URL"))
    }
    return await DownloadResult.get(url, transport: transport, maxBytes: maxBytes)
  }

  /// `200 {"ok":true}` — what most providers want.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    .json(200, #"{"ok":true}"#)
  }
}

/// An adapter could not be set up.
public enum ChannelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A setting is present but unusable (`settings.secret`: not a `whsec_` secret).
  case invalidSetting(name: String, reason: String)

  public var description: String {
    switch self {
    case let .invalidSetting(name, reason): return "settings.\(name): \(reason)"
    }
  }
}
