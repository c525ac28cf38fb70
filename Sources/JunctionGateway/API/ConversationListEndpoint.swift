import JunctionHTTP
import JunctionModel

/// `GET /v1/conversations?queue=&status=&assignee=&channel=&cursor=&limit=` (scope `read`):
/// conversations newest first, filtered, a page at a time. `next_cursor` continues the
/// listing (null at the end); cursors stay valid as new conversations arrive.
struct ConversationListEndpoint: Sendable {
  static let defaultLimit = 50
  static let maxLimit = 500

  let store: StateStore

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    var limit = Self.defaultLimit
    if let text = request.queryValue("limit") {
      guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
        responder.respond(
          RejectedRequest.parameter("limit", "expected an integer from 1 to \(Self.maxLimit)")
            .response)
        return
      }
      limit = value
    }
    var start: Int?
    if let cursor = request.queryValue("cursor"), !cursor.isEmpty {
      guard cursor.hasPrefix("c"), let position = Int(cursor.dropFirst()), position >= 0 else {
        responder.respond(
          RejectedRequest.parameter("cursor", "not a cursor from this API").response)
        return
      }
      start = position
    }
    let status = request.queryValue("status")
    if let status, ConversationStatus(rawValue: status) == nil {
      responder.respond(
        RejectedRequest.parameter("status", "expected \"open\" or \"resolved\"").response)
      return
    }
    let queue = request.queryValue("queue")
    let assignee = request.queryValue("assignee")
    let channel = request.queryValue("channel")
    let body = store.read { state -> JSON in
      var items: [JSON] = []
      var position = min(start ?? state.conversationOrder.count, state.conversationOrder.count)
      while position > 0 && items.count < limit {
        position -= 1
        guard let record = state.conversations[state.conversationOrder[position]] else {
          continue
        }
        let conversation = record.conversation
        if let status, conversation.status.rawValue != status { continue }
        if let queue, conversation.queue != queue { continue }
        if let channel, conversation.channel != channel { continue }
        if let assignee {
          if assignee.isEmpty ? conversation.assignee != nil : conversation.assignee != assignee {
            continue
          }
        }
        items.append(ConversationJSON.summary(record))
      }
      return [
        "conversations": .array(items),
        "next_cursor": position > 0 ? .string("c\(position)") : .null,
      ]
    }
    responder.respond(.json(200, body.serialized()))
  }
}
