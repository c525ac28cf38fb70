import JunctionChannels
import JunctionModel

extension APIAdapter {
  /// Parses an inbound body into one item; errors name the field at fault.
  static func parseItem(_ json: JSON) throws(FieldError) -> InboundItem {
    let body = try FieldReader(json)
    switch try body.optionalString("type") ?? "message" {
    case "message":
      return .message(try parseMessage(body))
    case "status":
      return .status(try parseStatus(body))
    default:
      throw FieldError(path: "type", message: "expected \"message\" or \"status\"")
    }
  }

  static func parseMessage(_ body: FieldReader) throws(FieldError) -> InboundMessage {
    let id = try body.nonEmptyString("id")
    let from = try body.object("from")
    let sender = SenderProfile(
      externalId: try from.nonEmptyString("id"), name: try from.optionalString("name"),
      email: try from.optionalString("email"), phone: try from.optionalString("phone"),
      language: try from.optionalString("language"))
    let text = try body.optionalString("text")
    var attachments: [Attachment] = []
    for item in try body.objects("attachments") {
      attachments.append(
        Attachment(
          kind: try item.optionalString("kind") ?? "file", url: try item.nonEmptyString("url"),
          contentType: try item.optionalString("content_type"),
          filename: try item.optionalString("filename"), size: try item.optionalInt("size")))
    }
    if (text ?? "").isEmpty && attachments.isEmpty {
      throw FieldError(path: "text", message: "text or attachments is required")
    }
    return InboundMessage(
      providerMessageId: id, sender: sender, threadKey: try body.optionalString("thread"),
      text: text, attachments: attachments, sentAt: try body.optionalTimestamp("sent_at"),
      replyToProviderId: try body.optionalString("in_reply_to"))
  }

  static func parseStatus(_ body: FieldReader) throws(FieldError) -> DeliveryStatusUpdate {
    let messageId = try body.nonEmptyString("message_id")
    let statusText = try body.string("status")
    let status: DeliveryStatus
    switch statusText {
    case "delivered": status = .delivered
    case "read": status = .read
    case "failed": status = .failed
    default:
      throw FieldError(path: "status", message: "expected \"delivered\", \"read\" or \"failed\"")
    }
    let error = try body.optionalString("error")
    return DeliveryStatusUpdate(
      messageId: messageId, status: status,
      error: error.map { ["code": "provider_error", "message": .string($0)] },
      at: try body.optionalTimestamp("at"))
  }

  /// The body POSTed to `outbound_url` for a reply.
  static func outboundBody(_ message: OutboundMessage) -> JSON {
    var body: JSONObject = [
      "id": .string(message.messageId), "conversation_id": .string(message.conversationId),
      "to": ["id": .string(message.recipient.externalId)],
    ]
    body["text"] = .optional(message.text)
    body["attachments"] = .array(
      message.attachments.map { attachment in
        var object: JSONObject = ["kind": .string(attachment.kind)]
        object["url"] = .optional(attachment.url)
        object["content_type"] = .optional(attachment.contentType)
        object["filename"] = .optional(attachment.filename)
        return .object(object)
      })
    body["in_reply_to"] = .optional(message.inReplyToProviderId)
    if message.isAutomatic { body["automatic"] = true }
    return .object(body)
  }
}
