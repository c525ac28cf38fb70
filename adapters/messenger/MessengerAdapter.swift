import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel

/// The `messenger` channel: one Facebook Page on the Messenger Platform (Meta).
///
/// Inbound, Meta posts `page` webhooks (`entry[].messaging[]`: messages, edits, deliveries,
/// reads, postbacks) signed with `X-Hub-Signature-256`, after a `GET` `hub.challenge`
/// handshake. Outbound, replies go through the Send API (`POST {api_base}/me/messages`, or
/// `/{page_id}/messages`) with the Page access token, `messaging_type: RESPONSE` within 24 h of
/// the customer's last message and a configured message tag after it.
public struct MessengerAdapter: ChannelAdapter {
  /// Seconds of the standard messaging window.
  public static let replyWindow: Double = 86_400
  /// Seconds the `HUMAN_AGENT` tag extends it to.
  public static let humanAgentWindow: Double = 7 * 86_400
  /// Message tags the Send API accepts outside the window.
  public static let messageTags = [
    "HUMAN_AGENT", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE", "CONFIRMED_EVENT_UPDATE",
  ]

  /// Name, settings (see README.md) and what the channel can do.
  public static let manifest = ChannelManifest(
    name: "messenger",
    summary: "Facebook Messenger (Meta): one Facebook Page",
    kind: .chat,
    settings: [
      SettingSpec(
        "page_access_token", .secret, required: true,
        summary: "the Page access token with pages_messaging permission"),
      SettingSpec(
        "app_secret", .secret, required: true,
        summary: "the Meta app's secret: verifies X-Hub-Signature-256 of webhooks"),
      SettingSpec(
        "verify_token", .secret, required: true,
        summary: "the verify token typed in the app dashboard's webhook settings"),
      SettingSpec(
        "api_base", .url(schemes: ["http", "https"]),
        default: .string(WhatsAppAdapter.defaultAPIBase),
        summary: "Graph API base URL including the version"),
      SettingSpec(
        "page_id", .string,
        summary:
          "the Page's id: sends go to /{page_id}/messages and other Pages' webhooks are ignored"
      ),
      SettingSpec(
        "message_tag", .choice(messageTags),
        summary: "tag for replies after the 24 h window (HUMAN_AGENT: up to 7 days)"),
      SettingSpec(
        "rate_per_second", .number, default: 250,
        summary: "Send API calls per second for this Page (Meta allows 300 for text)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for the Graph API"),
    ],
    capabilities: ChannelCapabilities(
      maxTextLength: 2000, attachmentKinds: ["image", "audio", "video", "file"],
      maxAttachmentBytes: 25 << 20, replyWindow: replyWindow, canStartConversation: false,
      deliveryReceipts: true, readReceipts: true, ratePerSecond: 250))

  /// The channel instance from `channels.json`.
  public let instance: ChannelInstanceConfig
  let webhook: MetaWebhook
  let accessToken: String
  let apiBase: String
  let pageId: String?
  let messageTag: String?
  let timeout: Double
  let ledger = MessengerSendLedger()

  /// Reads the settings; throws when a required one is missing or a structured one is invalid.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    accessToken = try WhatsAppAdapter.required("page_access_token", settings)
    webhook = MetaWebhook(
      appSecret: try WhatsAppAdapter.required("app_secret", settings),
      verifyToken: try WhatsAppAdapter.required("verify_token", settings))
    var base = settings.string("api_base") ?? WhatsAppAdapter.defaultAPIBase
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    pageId = settings.string("page_id").flatMap { $0.isEmpty ? nil : $0 }
    messageTag = settings.string("message_tag")
    if let messageTag, !Self.messageTags.contains(messageTag) {
      throw .invalidSetting(
        name: "message_tag", reason: "expected one of \(Self.messageTags.joined(separator: ", "))")
    }
    timeout = settings.double("timeout") ?? 15
  }

  /// True when a `message_tag` is configured: replies after the 24 h window go out tagged.
  public var hasReplyWindowFallback: Bool { messageTag != nil }

  /// `GET`: the verification handshake. `POST`: signature check (401), JSON (400), items.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    webhook.receive(request, platform: "Messenger") { json throws(FieldError) in
      try parseWebhook(json)
    }
  }

}
