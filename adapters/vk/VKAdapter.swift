import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel

/// The `vk` channel: a VK (VKontakte) community's messages, through the Callback API.
///
/// Inbound, VK POSTs one JSON event per request (`{"type", "object", "group_id", "event_id",
/// "v", "secret"}`). The adapter checks `secret` in constant time and `group_id`, answers the
/// `confirmation` handshake with the configured string, turns `message_new`/`message_edit`
/// into items (`VKAdapter+Inbound.swift`) and answers every other accepted event with the
/// literal `ok`. Outbound, replies go out with `messages.send` and a `random_id` derived from
/// Junction's message id, so retries never duplicate a message (`+Outbound.swift`).
public struct VKAdapter: ChannelAdapter {
  /// The oldest Callback API version whose `message_new` carries `object.message`.
  static let oldestAPIVersion = 103

  /// Settings (`group_id`, `access_token`, `secret`, `confirmation` …) and what a VK community
  /// can do.
  public static let manifest = ChannelManifest(
    name: "vk",
    summary: "VK community messages through the Callback API",
    kind: .chat,
    settings: [
      SettingSpec(
        "group_id", .integer(1...Int.max), required: true,
        summary: "the community's numeric id (`group_id` in every event)"),
      SettingSpec(
        "access_token", .secret, required: true,
        summary: "a community access token with the `messages` right (and `docs`/`photos` "
          + "to read attachments)"),
      SettingSpec(
        "secret", .secret, required: true,
        summary: "the Callback API server's *Secret key*; VK puts it in every event"),
      SettingSpec(
        "confirmation", .string, required: true,
        summary: "the string VK expects in answer to the `confirmation` event"),
      SettingSpec(
        "api_base", .url(schemes: ["http", "https"]), default: "https://api.vk.com/method",
        summary: "VK API base URL (a test stand-in)"),
      SettingSpec(
        "api_version", .string, default: "5.199",
        summary: "API version sent as `v` (5.103 or later); set the Callback server to the same"),
      SettingSpec(
        "quote_replies", .choice(["always", "groups", "never"]), default: "always",
        summary: "when a reply quotes the customer message it answers"),
      SettingSpec(
        "rate_per_second", .number, default: 20,
        summary: "API calls per second (VK: 20 per community token)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for one API call"),
    ],
    capabilities: ChannelCapabilities(
      maxTextLength: 4096,
      attachmentKinds: ["image", "document", "audio", "video", "voice", "file"],
      maxAttachmentBytes: 200 << 20, replyWindow: nil, canStartConversation: false,
      deliveryReceipts: false, readReceipts: false, ratePerSecond: 20))

  /// When a reply quotes the customer's message (`forward` with `is_reply`).
  enum QuotePolicy: String, Sendable {
    case always, groups, never
  }

  /// The channel instance from `channels.json`.
  public let instance: ChannelInstanceConfig
  let groupId: Int64
  let accessToken: String
  let secret: [UInt8]
  let confirmation: String
  let apiBase: String
  let apiVersion: String
  let quoteReplies: QuotePolicy
  let timeout: Double

  /// Reads the settings; throws when one is missing or `api_version` is older than 5.103.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    guard let group = settings.values["group_id"]?.intValue, group > 0 else {
      throw .invalidSetting(name: "group_id", reason: "expected the community's numeric id")
    }
    groupId = group
    accessToken = settings.string("access_token") ?? ""
    guard !accessToken.isEmpty else {
      throw .invalidSetting(name: "access_token", reason: "is required")
    }
    secret = Array((settings.string("secret") ?? "").utf8)
    guard !secret.isEmpty else { throw .invalidSetting(name: "secret", reason: "is required") }
    confirmation = settings.string("confirmation") ?? ""
    guard !confirmation.isEmpty else {
      throw .invalidSetting(name: "confirmation", reason: "is required")
    }
    var base = settings.string("api_base") ?? "https://api.vk.com/method"
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    apiVersion = settings.string("api_version") ?? "5.199"
    let parts = apiVersion.split(separator: ".")
    guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
      major > 5 || (major == 5 && minor >= Self.oldestAPIVersion)
    else {
      throw .invalidSetting(
        name: "api_version", reason: "expected a version such as 5.199 (5.103 or later)")
    }
    quoteReplies = settings.string("quote_replies").flatMap(QuotePolicy.init) ?? .always
    timeout = settings.double("timeout") ?? 15
  }

  /// Verifies an event and decides the answer: `confirmation` → the configured string; a
  /// wrong or missing `secret`, or another community's `group_id` → 401 with nothing stored
  /// (VK retries a few times, then pauses the server and shows the error in its settings);
  /// anything else accepted → items to store, answered `ok`.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .post else {
      return .reject(.error(405, code: "method_not_allowed", message: "VK events are POSTed"))
    }
    let json: JSON
    do {
      json = try JSON.parse(request.body)
    } catch {
      return .reject(.error(400, code: "invalid_json", message: error.description))
    }
    let type = json["type"]?.stringValue
    let presented = json["secret"]?.stringValue
    // VK includes the secret in `confirmation` only once the key is saved; accept it absent
    // there (answering reveals nothing but the confirmation string), never wrong.
    let secretOK = presented.map { constantTimeEquals(Array($0.utf8), secret) } ?? false
    guard secretOK || (type == "confirmation" && presented == nil) else {
      return .reject(
        .error(401, code: "invalid_secret", message: "the event's secret is missing or wrong"))
    }
    guard json["group_id"]?.intValue == groupId else {
      return .reject(
        .error(
          401, code: "unknown_group", message: "this channel serves VK community \(groupId)"))
    }
    if type == "confirmation" { return .respond(.text(200, confirmation)) }
    do {
      return .ingest(try Self.items(from: json))
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  /// `ok`, the only answer VK accepts for a delivered event, duplicates included.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    .text(200, "ok")
  }

  /// `text` with the access token masked, for anything that may end up in events or logs.
  func scrubbed(_ text: String) -> String {
    text.replacing(accessToken, with: "<access_token>")
  }
}
