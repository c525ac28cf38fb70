import Foundation
import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel

/// The `api` channel: Junction's own JSON webhook, signed per Standard Webhooks, for
/// customers' own apps and sites. The template every other adapter follows.
///
/// Inbound `POST /v1/inbound/{channel}` carries a message (`{"id", "from", "text",
/// "attachments", "sent_at"}`) or a delivery status (`{"type": "status", ...}`); replies go out
/// as signed POSTs to `settings.outbound_url`.
public struct APIAdapter: ChannelAdapter {
  public static let manifest = ChannelManifest(
    name: "api",
    summary: "Junction's signed JSON webhook channel (Standard Webhooks)",
    kind: .api,
    settings: [
      SettingSpec(
        "secret", .secret, required: true,
        summary:
          "Standard Webhooks secret (`whsec_` + base64) shared with the sender; signs both directions"
      ),
      SettingSpec(
        "outbound_url", .url(schemes: ["http", "https"]),
        summary: "where replies are POSTed; without it the channel is receive-only"),
      SettingSpec(
        "tolerance", .duration, default: 300,
        summary: "how far `webhook-timestamp` may be from now, in seconds"),
      SettingSpec(
        "rate_per_second", .number, default: 50,
        summary: "outbound requests per second to `outbound_url`"),
      SettingSpec("timeout", .duration, default: 15, summary: "seconds to wait for `outbound_url`"),
    ],
    capabilities: ChannelCapabilities(
      maxTextLength: 65_536, attachmentKinds: ["image", "document", "audio", "video", "file"],
      maxAttachmentBytes: 25 << 20, canStartConversation: true, deliveryReceipts: true,
      readReceipts: true, ratePerSecond: 50))

  public let instance: ChannelInstanceConfig
  let webhook: StandardWebhook
  let tolerance: Int64
  let outboundURL: String?
  let timeout: Double

  public init(instance: ChannelInstanceConfig, context: AdapterContext) throws(ChannelError) {
    self.instance = instance
    let secret = instance.settings.string("secret") ?? ""
    do {
      webhook = try StandardWebhook(secret: secret)
    } catch {
      throw .invalidSetting(name: "secret", reason: "\(error)")
    }
    tolerance = Int64(instance.settings.double("tolerance") ?? 300)
    outboundURL = instance.settings.string("outbound_url")
    timeout = instance.settings.double("timeout") ?? 15
  }

  public func receive(_ request: HTTPRequest, now: Timestamp) -> InboundDecision {
    guard request.method == .post else {
      return .reject(.error(405, code: "method_not_allowed", message: "the api channel takes POST"))
    }
    do {
      try webhook.verify(
        id: request.headers["webhook-id"], timestamp: request.headers["webhook-timestamp"],
        signature: request.headers["webhook-signature"], body: request.body,
        now: now.unixSeconds, tolerance: tolerance)
    } catch {
      return .reject(.error(401, code: "invalid_signature", message: "\(error)"))
    }
    let json: JSON
    do {
      json = try JSON.parse(request.body)
    } catch {
      return .reject(.error(400, code: "invalid_json", message: error.description))
    }
    do {
      return .ingest([try Self.parseItem(json)])
    } catch {
      return .reject(.error(400, code: "invalid_field", message: error.description))
    }
  }

  public func acknowledge(_ outcomes: [IngestOutcome]) -> HTTPResponse {
    switch outcomes.first {
    case .message(let messageId, let conversationId, let duplicate):
      // Written straight out (every webhook's answer): no JSON tree built to serialise it.
      var writer = JSONWriter(capacity: 128)
      writer.beginObject()
      writer.key("message_id")
      writer.string(messageId)
      writer.key("conversation_id")
      writer.string(conversationId)
      writer.key("duplicate")
      writer.bool(duplicate)
      writer.endObject()
      return .json(200, writer.bytes)
    case .status(let messageId?, let applied):
      let body: JSON = ["message_id": .string(messageId), "applied": .bool(applied)]
      return .json(200, body.serialized())
    case .status(nil, _):
      return .error(
        404, code: "unknown_message", message: "no outbound message has that message_id")
    case .edit, .part, nil:
      return .json(200, #"{"ok":true}"#)
    }
  }

  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    guard let outboundURL else {
      return .failed(
        ProviderError(
          code: "no_outbound_url", message: "channel \(instance.id) has no settings.outbound_url"))
    }
    let body = Self.outboundBody(message).serialized()
    let timestamp = Timestamp.now().unixSeconds
    let headers = [
      ("Content-Type", "application/json"), ("webhook-id", message.messageId),
      ("webhook-timestamp", String(timestamp)),
      (
        "webhook-signature",
        webhook.signature(id: message.messageId, timestamp: timestamp, body: body)
      ),
    ]
    let request = ProviderRequest(url: outboundURL, headers: headers, body: body, timeout: timeout)
    return SendResult.classify(await transport.perform(request)) { response in
      response.json?["id"]?.stringValue ?? message.messageId
    }
  }
}
