import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel

/// The `vonage` channel: SMS through the Vonage (Nexmo) SMS API.
///
/// Inbound SMS and delivery receipts arrive as GET or POST (form or JSON) webhooks, signed
/// with `sig` when the account has signed webhooks and `signature_secret` is set. Vonage does
/// not join concatenated SMS: each part becomes an ``InboundItem/part(_:)`` and the gateway
/// joins them. Every webhook is answered `200` at once (Vonage resends anything else for
/// 24 h). Outbound, `POST /sms/json`; Vonage answers HTTP 200 even when it refuses, so each
/// part's `status` is checked.
public struct VonageAdapter: SMSChannel {
  /// Name, settings (provider, then SMS settings) and capabilities.
  public static let manifest = ChannelManifest(
    name: "vonage",
    summary: "SMS through the Vonage (Nexmo) SMS API",
    kind: .sms,
    settings: [
      SettingSpec("api_key", .string, required: true, summary: "the Vonage API key"),
      SettingSpec("api_secret", .secret, required: true, summary: "the Vonage API secret"),
      SettingSpec(
        "signature_secret", .secret,
        summary:
          "the account's signature secret; when set, inbound webhooks must carry a valid `sig`"),
      SettingSpec(
        "signature_method", .choice(VonageSignature.Method.allCases.map(\.rawValue)),
        default: "md5hash",
        summary: "the signature method chosen in the dashboard: md5hash, md5, sha1, sha256, sha512"),
      SettingSpec(
        "signature_tolerance", .duration, default: 300,
        summary: "how far a signed webhook's `timestamp` may be from now, in seconds"),
      SettingSpec(
        "from", .string, required: true,
        summary: "sender: a Vonage virtual number (`447700900000`) or an alphanumeric sender id"),
      SettingSpec(
        "public_url", .url(schemes: ["https", "http"]),
        summary:
          "this channel's webhook URL as Vonage reaches it, sent as the DLR `callback`; default: Junction's `public_url` + `/v1/inbound/{channel}`"
      ),
      SettingSpec(
        "api_base", .url(schemes: ["https", "http"]), default: "https://rest.nexmo.com",
        summary: "Vonage SMS API base URL"),
      SettingSpec(
        "rate_per_second", .number, default: 30,
        summary: "API requests per second (Vonage's default account limit is 30)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for Vonage's API"),
      SettingSpec(
        "concat_timeout", .duration, default: 60,
        summary:
          "seconds to wait for the missing parts of a concatenated SMS before recording what arrived"
      ),
    ] + SMSSettings.specs(),
    capabilities: ChannelCapabilities(
      maxTextLength: 1600, canStartConversation: true, deliveryReceipts: true, ratePerSecond: 30))

  /// The channel instance this adapter serves.
  public let instance: ChannelInstanceConfig
  /// Opt-out keywords, replies, segment limit and default country (see ``SMSChannel``).
  public let sms: SMSSettings
  let apiKey: String
  let apiSecret: String
  let signature: VonageSignature?
  let tolerance: Int64
  let from: String
  let callbackURL: String
  let apiBase: String
  let timeout: Double

  /// Reads the instance's settings; throws for values the specs cannot check.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    sms = SMSSettings(settings: settings)
    apiKey = settings.string("api_key") ?? ""
    apiSecret = settings.string("api_secret") ?? ""
    let methodName = settings.string("signature_method") ?? "md5hash"
    guard let method = VonageSignature.Method(rawValue: methodName) else {
      throw .invalidSetting(name: "signature_method", reason: "unknown method \(methodName)")
    }
    signature = settings.string("signature_secret").map {
      VonageSignature(secret: $0, method: method)
    }
    tolerance = Int64(settings.double("signature_tolerance") ?? 300)
    // Vonage wants numbers without `+`; alphanumeric senders stay as written.
    let rawFrom = settings.string("from") ?? ""
    from = PhoneNumber.e164(rawFrom).map { String($0.dropFirst()) } ?? rawFrom
    callbackURL = settings.string("public_url") ?? context.inboundURL(channel: instance.id)
    var base = settings.string("api_base") ?? "https://rest.nexmo.com"
    while base.hasSuffix("/") { base.removeLast() }
    apiBase = base
    timeout = settings.double("timeout") ?? 15
  }

  /// Verifies and parses one webhook call.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .post || request.method == .get else {
      return .reject(.error(405, code: "method_not_allowed", message: "Vonage uses GET or POST"))
    }
    let parameters: [(name: String, value: String)]
    do {
      parameters = try Self.parameters(of: request)
    } catch {
      return .reject(.error(400, code: "invalid_json", message: error.description))
    }
    // Vonage checks a webhook URL with an empty request when it is saved.
    guard !parameters.isEmpty else { return .respond(Self.ok) }
    if let signature {
      guard signature.isValid(parameters) else {
        return .reject(
          .error(401, code: "invalid_signature", message: "missing or wrong sig parameter"))
      }
      let timestamp = parameters.first { $0.name == "timestamp" }.flatMap { Int64($0.value) }
      guard let timestamp, abs(timestamp - now.unixSeconds) <= tolerance else {
        return .reject(
          .error(401, code: "stale_signature", message: "timestamp missing or too far from now"))
      }
    }
    do {
      return .ingest(try parse(WebhookParameters(parameters)))
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  /// `200` with an empty body: Vonage resends anything else for 24 hours.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse { Self.ok }

  static let ok = HTTPResponse(
    status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]))

  /// Query and form parameters, or a JSON body's members (numbers and booleans as text).
  static func parameters(of request: HTTPRequest) throws(JSONParseError) -> [(
    name: String, value: String
  )] {
    let type = request.headers["Content-Type"]?.lowercased() ?? ""
    guard type.hasPrefix("application/json") else { return request.webhookParameters() }
    var pairs = request.queryParameters()
    guard case .object(let object) = try JSON.parse(request.body) else { return pairs }
    for (name, value) in object {
      switch value {
      case .string(let text): pairs.append((name, text))
      case .int(let number): pairs.append((name, String(number)))
      case .double(let number): pairs.append((name, String(number)))
      case .bool(let flag): pairs.append((name, flag ? "true" : "false"))
      default: continue
      }
    }
    return pairs
  }
}
