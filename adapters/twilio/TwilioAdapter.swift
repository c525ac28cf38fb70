import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel

/// The `twilio` channel: SMS and MMS through Twilio Programmable Messaging.
///
/// Inbound, Twilio posts form-encoded webhooks signed with `X-Twilio-Signature` to the URL
/// configured for the number or Messaging Service ("A message comes in") and, for replies,
/// to the `StatusCallback` given with each send. Messages are answered with an empty TwiML
/// `<Response/>`, so Twilio sends nothing itself. Outbound, `POST /2010-04-01/Accounts/{sid}/
/// Messages.json` with basic auth.
public struct TwilioAdapter: SMSChannel {
  /// Name, settings (provider, then SMS settings) and capabilities.
  public static let manifest = ChannelManifest(
    name: "twilio",
    summary: "SMS and MMS through Twilio Programmable Messaging",
    kind: .sms,
    settings: [
      SettingSpec(
        "account_sid", .string, required: true, summary: "the Twilio account SID (`AC…`)"),
      SettingSpec(
        "auth_token", .secret, required: true,
        summary: "the account's auth token: checks `X-Twilio-Signature` and authenticates sends"),
      SettingSpec(
        "from", .string, required: true,
        summary:
          "sender: a Twilio number in E.164 (`+15005550006`) or a Messaging Service SID (`MG…`)"
      ),
      SettingSpec(
        "public_url", .url(schemes: ["https", "http"]),
        summary:
          "this channel's webhook URL exactly as configured at Twilio (signatures are made over it); default: Junction's `public_url` + `/v1/inbound/{channel}`"
      ),
      SettingSpec(
        "api_base", .url(schemes: ["https", "http"]), default: "https://api.twilio.com",
        summary: "Twilio REST API base URL"),
      SettingSpec(
        "rate_per_second", .number, default: 1,
        summary: "sends per second (Twilio queues a US long code at 1 message segment per second)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for Twilio's API"),
    ] + SMSSettings.specs(providerAnswersKeywords: true),
    capabilities: ChannelCapabilities(
      maxTextLength: 1600, attachmentKinds: ["image", "video", "audio", "document", "file"],
      maxAttachmentBytes: 5 << 20, canStartConversation: true, deliveryReceipts: true,
      ratePerSecond: 1))

  /// The channel instance this adapter serves.
  public let instance: ChannelInstanceConfig
  /// Opt-out keywords, replies, segment limit and default country (see ``SMSChannel``).
  public let sms: SMSSettings
  let accountSid: String
  let authToken: String
  let from: String
  let publicURL: String
  let apiBase: String
  let timeout: Double
  let signer: TwilioSignature

  /// Reads the instance's settings; throws for values the specs cannot check.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    sms = SMSSettings(settings: settings, providerAnswersKeywords: true)
    accountSid = settings.string("account_sid") ?? ""
    guard accountSid.hasPrefix("AC") else {
      throw .invalidSetting(name: "account_sid", reason: "a Twilio account SID starts with AC")
    }
    authToken = settings.string("auth_token") ?? ""
    // A number written with spaces is normalised; `MG…` SIDs and alphanumeric senders stay.
    let rawFrom = settings.string("from") ?? ""
    from = rawFrom.hasPrefix("MG") ? rawFrom : (PhoneNumber.e164(rawFrom) ?? rawFrom)
    publicURL = settings.string("public_url") ?? context.inboundURL(channel: instance.id)
    var base = settings.string("api_base") ?? "https://api.twilio.com"
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    timeout = settings.double("timeout") ?? 15
    signer = TwilioSignature(authToken: authToken)
  }

  /// Verifies and parses one webhook call.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .post || request.method == .get else {
      return .reject(.error(405, code: "method_not_allowed", message: "Twilio webhooks are POST"))
    }
    let signed = request.method == .post ? request.formBodyParameters() : []
    guard let signature = request.headers["X-Twilio-Signature"] else {
      return .reject(
        .error(401, code: "missing_signature", message: "X-Twilio-Signature is missing"))
    }
    guard signer.isValid(signature, urls: signedURLs(request), parameters: signed) else {
      return .reject(
        .error(
          401, code: "invalid_signature",
          message:
            "X-Twilio-Signature does not match; settings.public_url must be the URL configured at Twilio"
        ))
    }
    let parameters = WebhookParameters(request.webhookParameters())
    do {
      return .ingest(try parse(parameters))
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  /// The URLs Twilio may have signed: `public_url` itself, and — when the request has a
  /// query string (GET webhooks, or parameters added to the configured URL) — `public_url`
  /// with the query Junction received.
  func signedURLs(_ request: HTTPRequest) -> [String] {
    var urls = [publicURL]
    if !request.query.isEmpty {
      let stem = publicURL.split(separator: "?", maxSplits: 1).first.map(String.init) ?? publicURL
      let withQuery = stem + "?" + request.query
      if withQuery != publicURL { urls.append(withQuery) }
    }
    return urls
  }

  /// An empty TwiML response: Twilio sends no reply of its own.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", "text/xml; charset=utf-8")]),
      body: Array(#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#.utf8))
  }
}
