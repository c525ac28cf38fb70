import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel

/// The `whatsapp` channel: one business phone number on the WhatsApp Cloud API (Meta).
///
/// Inbound, Meta posts `messages` webhooks (`entry[].changes[].value` with `messages[]`,
/// `statuses[]` and `contacts[]`) signed with `X-Hub-Signature-256`, after a `GET`
/// `hub.challenge` handshake. Outbound, replies go to `POST {api_base}/{phone_number_id}/messages`
/// with the access token; once the 24 h customer service window has closed a configured
/// template is sent instead. Media are fetched by id in two steps (`download`).
public struct WhatsAppAdapter: ChannelAdapter {
  /// The Graph API version Junction is tested against.
  public static let defaultAPIBase = "https://graph.facebook.com/v23.0"
  /// Seconds of the customer service window.
  public static let replyWindow: Double = 86_400

  /// Name, settings (see README.md) and what the channel can do.
  public static let manifest = ChannelManifest(
    name: "whatsapp",
    summary: "WhatsApp Cloud API (Meta): one business phone number",
    kind: .chat,
    settings: [
      SettingSpec(
        "phone_number_id", .string, required: true,
        summary: "the business phone number's id (WhatsApp Manager → API setup), not the number"),
      SettingSpec(
        "access_token", .secret, required: true,
        summary: "system user access token with whatsapp_business_messaging permission"),
      SettingSpec(
        "app_secret", .secret, required: true,
        summary: "the Meta app's secret: verifies X-Hub-Signature-256 of webhooks"),
      SettingSpec(
        "verify_token", .secret, required: true,
        summary: "the verify token typed in the app dashboard's webhook settings"),
      SettingSpec(
        "api_base", .url(schemes: ["http", "https"]), default: .string(defaultAPIBase),
        summary: "Graph API base URL including the version"),
      SettingSpec(
        "template", .object,
        summary:
          "approved template sent outside the 24 h window: {\"name\", \"language\", \"text_parameter\"}"
      ),
      SettingSpec(
        "quote_replies", .boolean, default: true,
        summary: "replies quote the customer's message they answer (`context.message_id`)"),
      SettingSpec(
        "preview_url", .boolean, default: false,
        summary: "ask WhatsApp to render a preview of the first link in a text reply"),
      SettingSpec(
        "rate_per_second", .number, default: 80,
        summary: "messages per second sent from this number (Cloud API default throughput)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for the Graph API"),
    ],
    capabilities: ChannelCapabilities(
      maxTextLength: 4096,
      attachmentKinds: ["image", "document", "audio", "video", "sticker", "file"],
      maxAttachmentBytes: 100 << 20, replyWindow: replyWindow, canStartConversation: false,
      deliveryReceipts: true, readReceipts: true, ratePerSecond: 80))

  /// The channel instance from `channels.json`.
  public let instance: ChannelInstanceConfig
  let webhook: MetaWebhook
  let phoneNumberId: String
  let accessToken: String
  let apiBase: String
  let template: WhatsAppTemplate?
  let quoteReplies: Bool
  let previewURL: Bool
  let timeout: Double

  /// Reads the settings; throws when a required one is missing or a structured one is invalid.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    phoneNumberId = try Self.required("phone_number_id", settings)
    accessToken = try Self.required("access_token", settings)
    webhook = MetaWebhook(
      appSecret: try Self.required("app_secret", settings),
      verifyToken: try Self.required("verify_token", settings))
    var base = settings.string("api_base") ?? Self.defaultAPIBase
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    template = try settings.object("template").map { (object) throws(ChannelError) in
      try WhatsAppTemplate(setting: object)
    }
    quoteReplies = settings.bool("quote_replies") ?? true
    previewURL = settings.bool("preview_url") ?? false
    timeout = settings.double("timeout") ?? 15
  }

  static func required(_ name: String, _ settings: ChannelSettings) throws(ChannelError) -> String {
    guard let value = settings.string(name), !value.isEmpty else {
      throw .invalidSetting(name: name, reason: "is required")
    }
    return value
  }

  /// True when a `template` is configured: replies outside the 24 h window go out as it.
  public var hasReplyWindowFallback: Bool { template != nil }

  /// `GET`: the verification handshake. `POST`: signature check (401), JSON (400), items.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    webhook.receive(request, platform: "WhatsApp") { json throws(FieldError) in
      try parseWebhook(json)
    }
  }

}
