import JunctionHTTP
import JunctionJournal
import JunctionModel

/// `GET /v1/conversations/{id}`: the conversation with its messages, folded from its events.
struct ConversationEndpoint: Sendable {
  let journal: any Journal
  let store: StateStore

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    guard let record = store.read({ $0.conversations[id] }) else {
      responder.respond(.error(404, code: "not_found", message: "no conversation \(id)"))
      return
    }
    do {
      let events = try ConversationView.readEvents(record.eventSequences, from: journal)
      var body = ConversationJSON.summary(record).objectValue ?? JSONObject()
      body["messages"] = .array(ConversationView.messages(from: events).map(\.json))
      body["notes"] = .array(
        events.filter { $0.type == EventType.noteAdded }.compactMap { $0.data["note"] })
      responder.respond(.json(200, JSON.object(body).serialized()))
    } catch {
      responder.respond(.error(500, code: "journal_unreadable", message: "\(error)"))
    }
  }
}

/// Folds a conversation's events into its messages as they stand now.
enum ConversationView {
  /// Reads the events at `sequences` (ascending) with as few journal reads as possible.
  static func readEvents(_ sequences: [UInt64], from journal: any Journal) throws(JournalError)
    -> [Event]
  {
    var events: [Event] = []
    events.reserveCapacity(sequences.count)
    var index = 0
    while index < sequences.count {
      var end = index
      while end + 1 < sequences.count && sequences[end + 1] == sequences[end] + 1 { end += 1 }
      let records = try journal.read(after: sequences[index] - 1, limit: end - index + 1)
      for record in records {
        if let event = try? Event(storedBytes: record.payload, offset: record.sequence) {
          events.append(event)
        }
      }
      index = end + 1
    }
    return events
  }

  /// The messages the events describe, oldest first, with edits and statuses applied.
  static func messages(from events: [Event]) -> [Message] {
    var messages: [Message] = []
    var position: [String: Int] = [:]
    for event in events {
      switch event.type {
      case EventType.messageReceived, EventType.messageQueued:
        guard let json = event.data["message"], let message = try? Message(json: json) else {
          continue
        }
        position[message.id] = messages.count
        messages.append(message)
      case EventType.messageEdited:
        guard let id = event.data["message_id"]?.stringValue, let index = position[id] else {
          continue
        }
        messages[index].text = event.data["text"]?.stringValue
        messages[index].details["edited_at"] = event.data["edited_at"]
      case EventType.messageSent, EventType.messageDelivered, EventType.messageRead,
        EventType.messageFailed:
        guard let id = event.data["message_id"]?.stringValue, let index = position[id],
          let status = event.data["status"]?.stringValue.flatMap(DeliveryStatus.init(rawValue:)),
          messages[index].status.canAdvance(to: status)
        else { continue }
        messages[index].status = status
        if let providerId = event.data["provider_message_id"]?.stringValue {
          messages[index].providerMessageId = providerId
        }
        if let error = event.data["error"] { messages[index].error = error }
      case EventType.attachmentStored:
        guard let id = event.data["message_id"]?.stringValue, let index = position[id],
          let slot = event.data["index"]?.intValue.map(Int.init),
          messages[index].attachments.indices.contains(slot), let blob = event.data["blob"]
        else { continue }
        messages[index].attachments[slot].blobId = blob["id"]?.stringValue
        messages[index].attachments[slot].size = blob["size"]?.intValue
        if messages[index].attachments[slot].contentType == nil {
          messages[index].attachments[slot].contentType = blob["content_type"]?.stringValue
        }
      default:
        continue
      }
    }
    return messages
  }
}
