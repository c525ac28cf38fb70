import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel

/// The `kannel` channel: SMS through a Kannel gateway (bearerbox + smsbox), as operators and
/// aggregators run it in front of their SMSCs.
///
/// Inbound, an `sms-service` group's `get-url` calls `GET /v1/inbound/{channel}` with Kannel's
/// escape codes (`%b` raw message bytes plus `%c` coding and `%C` charset, so Cyrillic and
/// emoji arrive intact); Junction answers `200` with an empty body and the service is set to
/// `max-messages = 0`, so Kannel sends no reply SMS of its own. Outbound, `cgi-bin/sendsms`
/// with a `dlr-url` back to the same endpoint carrying Junction's message id, so delivery
/// reports become statuses.
public struct KannelAdapter: SMSChannel {
  /// Name, settings (provider, then SMS settings) and capabilities.
  public static let manifest = ChannelManifest(
    name: "kannel",
    summary: "SMS through a Kannel SMS gateway (sms-service get-url in, cgi-bin/sendsms out)",
    kind: .sms,
    settings: [
      SettingSpec(
        "sendsms_url", .url(schemes: ["http", "https"]), required: true,
        summary: "smsbox's sendsms URL, e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`"),
      SettingSpec(
        "username", .string, required: true, summary: "the `sendsms-user` group's `username`"),
      SettingSpec(
        "password", .secret, required: true, summary: "the `sendsms-user` group's `password`"),
      SettingSpec(
        "from", .string,
        summary: "sender number or name; without it Kannel's `default-sender`/`global-sender`"),
      SettingSpec(
        "public_url", .url(schemes: ["http", "https"]),
        summary:
          "this channel's inbound URL as Kannel reaches it (base of the `dlr-url`); default: Junction's `public_url` + `/v1/inbound/{channel}`"
      ),
      SettingSpec(
        "inbound_token", .secret,
        summary:
          "when set, Kannel's calls must carry `token=<value>` (put it in the `get-url`; Junction adds it to every `dlr-url`)"
      ),
      SettingSpec(
        "dlr_mask", .integer(0...63), default: 31,
        summary:
          "Kannel `dlr-mask`: 1 delivered, 2 undelivered, 4 buffered, 8 SMSC accepted, 16 SMSC rejected"
      ),
      SettingSpec(
        "smsc", .string, summary: "route replies to this `smsc-id` (Kannel `smsc` parameter)"),
      SettingSpec(
        "rate_per_second", .number, default: 20,
        summary: "requests per second to sendsms (Kannel queues and throttles per SMSC itself)"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for smsbox"),
    ] + SMSSettings.specs(),
    capabilities: ChannelCapabilities(
      maxTextLength: 1600, canStartConversation: true, deliveryReceipts: true, ratePerSecond: 20))

  /// The channel instance this adapter serves.
  public let instance: ChannelInstanceConfig
  /// Opt-out keywords, replies, segment limit and default country (see ``SMSChannel``).
  public let sms: SMSSettings
  let sendsmsURL: String
  let username: String
  let password: String
  let from: String?
  let callbackURL: String
  let token: String?
  let dlrMask: Int
  let smsc: String?
  let timeout: Double

  /// Reads the instance's settings; throws for values the specs cannot check.
  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let settings = instance.settings
    sms = SMSSettings(settings: settings)
    sendsmsURL = settings.string("sendsms_url") ?? ""
    guard sendsmsURL.contains("://") else {
      throw .invalidSetting(name: "sendsms_url", reason: "expected an http:// URL of smsbox")
    }
    username = settings.string("username") ?? ""
    password = settings.string("password") ?? ""
    from = settings.string("from").flatMap { $0.isEmpty ? nil : $0 }
    callbackURL = settings.string("public_url") ?? context.inboundURL(channel: instance.id)
    token = settings.string("inbound_token")
    dlrMask = settings.int("dlr_mask") ?? 31
    smsc = settings.string("smsc")
    timeout = settings.double("timeout") ?? 15
  }

  /// Verifies and parses one webhook call.
  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .get || request.method == .post else {
      return .reject(.error(405, code: "method_not_allowed", message: "Kannel calls use GET"))
    }
    let query = KannelQuery(request.query)
    if let token {
      guard let given = query.bytes("token"), constantTimeEquals(given, Array(token.utf8)) else {
        return .reject(
          .error(401, code: "invalid_token", message: "token is missing or wrong"))
      }
    }
    do {
      return .ingest(try parse(query, now: now))
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  /// `200` with an empty body: with `max-messages = 0` (or `omit-empty = true`) Kannel sends
  /// no reply SMS.
  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]))
  }
}
