import JunctionChannels
import JunctionDigest
import JunctionHTTP
import JunctionModel

/// The webhook mechanics every Meta product shares (WhatsApp Cloud API, Messenger): the
/// `X-Hub-Signature-256` check of a `POST` and the `GET` verification handshake.
///
/// Signature: lowercase hex of HMAC-SHA256 keyed with the app secret over the **raw** body
/// bytes, sent as `X-Hub-Signature-256: sha256=<hex>`. Meta signs the body exactly as it sends
/// it (non-ASCII escaped as `\u0436`), so only the bytes on the wire verify; re-serialised JSON
/// never does. Handshake: `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C` is
/// answered `200 text/plain C` when `T` is the configured verify token, `403` otherwise.
struct MetaWebhook: Sendable {
  /// The signature header.
  static let signatureHeader = "X-Hub-Signature-256"
  /// Longest `hub.challenge` echoed back (Meta sends a short integer).
  static let maxChallengeLength = 256

  private let key: HMAC<SHA256>.Key
  private let verifyToken: [UInt8]

  init(appSecret: String, verifyToken: String) {
    key = HMAC<SHA256>.Key(Array(appSecret.utf8))
    self.verifyToken = Array(verifyToken.utf8)
  }

  /// `sha256=<hex>` for `body`: what Meta sends (tests and stand-ins sign with it).
  func signature(for body: [UInt8]) -> String {
    var mac = HMAC<SHA256>(key: key)
    mac.update(body)
    return "sha256=" + Hex.encode(mac.finalize())
  }

  /// Whether `header` (the `X-Hub-Signature-256` value) signs `body`; compared in constant
  /// time. A missing or malformed header never verifies.
  func verify(_ header: String?, body: [UInt8]) -> Bool {
    guard let header, header.utf8.count == 7 + 64,
      header.lowercased().hasPrefix("sha256="),
      let claimed = Hex.decode(header.dropFirst(7))
    else { return false }
    var mac = HMAC<SHA256>(key: key)
    mac.update(body)
    return constantTimeEquals(mac.finalize(), claimed)
  }

  /// The answer to a `GET` handshake request.
  func handshake(_ request: HTTPRequest) -> InboundDecision {
    guard let mode = request.queryValue("hub.mode"),
      let token = request.queryValue("hub.verify_token"),
      let challenge = request.queryValue("hub.challenge")
    else {
      return .reject(
        .error(
          400, code: "invalid_handshake",
          message: "expected hub.mode, hub.verify_token and hub.challenge"))
    }
    guard mode == "subscribe", constantTimeEquals(Array(token.utf8), verifyToken) else {
      return .reject(
        .error(403, code: "invalid_verify_token", message: "hub.verify_token does not match"))
    }
    guard !challenge.isEmpty, challenge.utf8.count <= Self.maxChallengeLength else {
      return .reject(
        .error(400, code: "invalid_handshake", message: "hub.challenge is empty or too long"))
    }
    return .respond(.text(200, challenge))
  }

  /// Checks a `POST`: nil when its signature verifies, else the 401 to answer.
  func check(_ request: HTTPRequest) -> HTTPResponse? {
    guard let header = request.headers[Self.signatureHeader] else {
      return .error(
        401, code: "invalid_signature", message: "the X-Hub-Signature-256 header is missing")
    }
    guard verify(header, body: request.body) else {
      return .error(
        401, code: "invalid_signature",
        message: "X-Hub-Signature-256 does not match the body signed with the app secret")
    }
    return nil
  }

  /// The whole inbound path of a Meta webhook: `GET` is the verification handshake; `POST` is
  /// signature-checked (401), parsed as JSON (400) and turned into items by `parse` (400 naming
  /// the field); other methods get 405 naming `platform`.
  func receive(
    _ request: HTTPRequest, platform: String,
    parse: (JSON) throws(FieldError) -> [InboundItem]
  ) -> InboundDecision {
    switch request.method {
    case .get:
      return handshake(request)
    case .post:
      if let rejection = check(request) { return .reject(rejection) }
      let json: JSON
      do {
        json = try JSON.parse(request.body)
      } catch {
        return .reject(.error(400, code: "invalid_json", message: error.description))
      }
      do {
        return .ingest(try parse(json))
      } catch {
        return .reject(.error(400, code: "invalid_field", message: error.description))
      }
    default:
      return .reject(
        .error(405, code: "method_not_allowed", message: "\(platform) webhooks use GET and POST"))
    }
  }
}
