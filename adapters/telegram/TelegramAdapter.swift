import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel

/// The `telegram` channel: a Telegram bot, connected through the Bot API's webhook.
///
/// Inbound, Telegram POSTs one `Update` per request to `/v1/inbound/{channel}`, carrying the
/// secret chosen at `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`; the adapter compares it
/// in constant time and turns messages and edits into ``InboundItem``s (see
/// `TelegramAdapter+Inbound.swift`). Outbound, replies go out with `sendMessage`, `sendPhoto`,
/// `sendDocument` … (`+Outbound.swift`); inbound files are fetched with `getFile`
/// (`+Download.swift`). The bot token only ever appears in provider URLs, never in errors.
public struct TelegramAdapter: ChannelAdapter {
  /// Longest caption a photo, video, document or audio may carry (Bot API: 0–1024 characters).
  public static let maxCaptionLength = 1024

  /// Settings (`bot_token`, `secret_token`, `api_base` …) and what a Telegram bot can do.
  public static let manifest = ChannelManifest(
    name: "telegram",
    summary: "Telegram bots through the Bot API webhook",
    kind: .chat,
    settings: [
      SettingSpec(
        "bot_token", .secret, required: true,
        summary: "the bot's token from @BotFather (`123456789:AA…`)"),
      SettingSpec(
        "secret_token", .secret, required: true,
        summary:
          "the `secret_token` given to `setWebhook` (1–256 of `A-Z a-z 0-9 _ -`); Telegram sends "
          + "it in `X-Telegram-Bot-Api-Secret-Token`"),
      SettingSpec(
        "api_base", .url(schemes: ["http", "https"]), default: "https://api.telegram.org",
        summary: "Bot API server (a local `telegram-bot-api` server or a test stand-in)"),
      SettingSpec(
        "quote_replies", .choice(["always", "groups", "never"]), default: "always",
        summary: "when a reply quotes the customer message it answers (`reply_parameters`)"),
      SettingSpec(
        "rate_per_second", .number, default: 30,
        summary: "sends per second for this bot (Telegram: about 30 overall)"),
      SettingSpec(
        "timeout", .duration, default: 15, summary: "seconds to wait for one Bot API call"),
    ],
    capabilities: ChannelCapabilities(
      maxTextLength: 4096,
      attachmentKinds: ["image", "document", "audio", "video", "voice", "file"],
      maxAttachmentBytes: 20 << 20, replyWindow: nil, canStartConversation: false,
      deliveryReceipts: false, readReceipts: false, ratePerSecond: 30,
      ratePerRecipientPerSecond: 1))

  /// When a reply carries `reply_parameters` quoting the customer's message.
  enum QuotePolicy: String, Sendable {
    case always, groups, never
  }

  /// The channel instance from `channels.json`.
  public let instance: ChannelInstanceConfig
  let botToken: String
  /// The bot's own user id (the token's part before `:`): its own messages are ignored.
  let botId: String
  let secretToken: [UInt8]
  let apiBase: String
  let quoteReplies: QuotePolicy
  let timeout: Double

  /// Reads the settings; throws when `bot_token` is not a BotFather token or `secret_token`
  /// has characters Telegram does not allow.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    let token = settings.string("bot_token") ?? ""
    guard let colon = token.firstIndex(of: ":"), token.startIndex < colon,
      token[..<colon].allSatisfy({ $0.isASCII && $0.isNumber }),
      token.index(after: colon) < token.endIndex
    else {
      throw .invalidSetting(
        name: "bot_token", reason: "expected a BotFather token such as `123456789:AA…`")
    }
    botToken = token
    botId = String(token[..<colon])
    let secret = settings.string("secret_token") ?? ""
    guard (1...256).contains(secret.utf8.count), secret.utf8.allSatisfy(Self.isSecretByte) else {
      throw .invalidSetting(
        name: "secret_token", reason: "Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -")
    }
    secretToken = Array(secret.utf8)
    var base = settings.string("api_base") ?? "https://api.telegram.org"
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    quoteReplies = settings.string("quote_replies").flatMap(QuotePolicy.init) ?? .always
    timeout = settings.double("timeout") ?? 15
  }

  static func isSecretByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }

  /// Checks `X-Telegram-Bot-Api-Secret-Token` (401 when missing or wrong) and parses the
  /// update (400 when it is not one).
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .post else {
      return .reject(
        .error(405, code: "method_not_allowed", message: "Telegram webhooks are POSTed"))
    }
    guard let presented = request.headers["X-Telegram-Bot-Api-Secret-Token"],
      constantTimeEquals(Array(presented.utf8), secretToken)
    else {
      return .reject(
        .error(
          401, code: "invalid_secret_token",
          message: "X-Telegram-Bot-Api-Secret-Token is missing or does not match"))
    }
    let json: JSON
    do {
      json = try JSON.parse(request.body)
    } catch {
      return .reject(.error(400, code: "invalid_json", message: error.description))
    }
    do {
      return .ingest(try Self.items(from: json, botId: botId))
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  /// A Bot API method's URL (the token is part of the path).
  func methodURL(_ method: String) -> String { "\(apiBase)/bot\(botToken)/\(method)" }

  /// `text` with the bot token masked, for anything that may end up in events or logs.
  func scrubbed(_ text: String) -> String {
    text.replacing(botToken, with: "<bot_token>")
  }
}
