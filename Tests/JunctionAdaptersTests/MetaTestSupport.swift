import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

@testable import JunctionAdapters

/// Swift Testing has an `Attachment` too; in these tests it is always Junction's.
typealias Attachment = JunctionModel.Attachment

/// Shared helpers for the WhatsApp and Messenger adapter tests.
enum MetaTest {
  static let appSecret = "9f86d081884c7d659a2feaa0c55ad015"
  static let verifyToken = "meatyhamhock"
  static let phoneNumberId = "106540352242922"
  static let accessToken = "EAAJB9Zt0ken"
  static let pageToken = "EAAPageT0ken"
  static let context = AdapterContext(publicURL: "https://support.example.com")

  static func whatsapp(
    apiBase: String = "http://127.0.0.1:9/v23.0", extra: JSONObject = JSONObject()
  ) throws -> WhatsAppAdapter {
    var settings: JSONObject = [
      "phone_number_id": .string(phoneNumberId), "access_token": .string(accessToken),
      "app_secret": .string(appSecret), "verify_token": .string(verifyToken),
      "api_base": .string(apiBase),
    ]
    for (key, value) in extra { settings[key] = value }
    return try WhatsAppAdapter(
      instance: ChannelInstanceConfig(
        id: "wa", adapter: "whatsapp", settings: ChannelSettings(settings)),
      context: context)
  }

  static func messenger(
    apiBase: String = "http://127.0.0.1:9/v23.0", extra: JSONObject = JSONObject()
  ) throws -> MessengerAdapter {
    var settings: JSONObject = [
      "page_access_token": .string(pageToken), "app_secret": .string(appSecret),
      "verify_token": .string(verifyToken), "api_base": .string(apiBase),
    ]
    for (key, value) in extra { settings[key] = value }
    return try MessengerAdapter(
      instance: ChannelInstanceConfig(
        id: "fb", adapter: "messenger", settings: ChannelSettings(settings)),
      context: context)
  }

  /// A webhook POST signed the way Meta signs it (`secret` defaults to the app secret).
  static func signed(_ body: [UInt8], secret: String = appSecret, channel: String = "wa")
    -> HTTPRequest
  {
    let signature = MetaWebhook(appSecret: secret, verifyToken: "").signature(for: body)
    return post(body, headers: [("X-Hub-Signature-256", signature)], channel: channel)
  }

  static func post(_ body: [UInt8], headers: [(String, String)], channel: String = "wa")
    -> HTTPRequest
  {
    var request = HTTPRequest(
      method: .post, target: "/v1/inbound/\(channel)",
      headers: HTTPHeaders(headers + [("Content-Type", "application/json")]), body: body)
    request.pathParameters = ["channel": channel]
    return request
  }

  static func get(_ query: String, channel: String = "wa") -> HTTPRequest {
    var request = HTTPRequest(method: .get, target: "/v1/inbound/\(channel)?\(query)")
    request.pathParameters = ["channel": channel]
    return request
  }

  /// The items of an `.ingest` decision (nil, with an issue recorded, otherwise).
  static func items(_ decision: InboundDecision, sourceLocation: SourceLocation = #_sourceLocation)
    -> [InboundItem]
  {
    guard case .ingest(let items) = decision else {
      Issue.record("expected ingest, got \(decision)", sourceLocation: sourceLocation)
      return []
    }
    return items
  }

  /// Status and error code of a `.reject` decision.
  static func rejection(_ decision: InboundDecision) -> (Int, String)? {
    guard case .reject(let response) = decision else { return nil }
    let code = (try? JSON.parse(response.body))?["error"]?["code"]?.stringValue ?? ""
    return (response.status, code)
  }

  static func messages(_ items: [InboundItem]) -> [InboundMessage] {
    items.compactMap { if case .message(let message) = $0 { message } else { nil } }
  }

  static func statuses(_ items: [InboundItem]) -> [DeliveryStatusUpdate] {
    items.compactMap { if case .status(let status) = $0 { status } else { nil } }
  }

  static let now = Timestamp(unixSeconds: 1_749_420_000)

  /// Every variant of `json` with one value replaced by a value of another type (or an
  /// object member removed): hostile shapes a parser must reject or tolerate, never crash on.
  static func mutations(of json: JSON) -> [JSON] {
    let replacements: [JSON] = [.null, .int(7), .string(""), .array([]), .object(JSONObject())]
    var out = replacements.filter { $0 != json }
    switch json {
    case .object(let object):
      for (index, member) in object.enumerated() {
        var removed = JSONObject()
        for (other, value) in object.enumerated() where other != index {
          removed.append(value.key, value.value)
        }
        out.append(.object(removed))
        for variant in mutations(of: member.value) {
          var changed = object
          changed[member.key] = variant
          out.append(.object(changed))
        }
      }
    case .array(let items):
      for (index, item) in items.enumerated() {
        for variant in mutations(of: item) {
          var changed = items
          changed[index] = variant
          out.append(.array(changed))
        }
      }
    default:
      break
    }
    return out
  }
}
