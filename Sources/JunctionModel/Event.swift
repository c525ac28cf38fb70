/// One fact in the journal, in the envelope every subscriber sees (DESIGN.md, "Public
/// contract"): `{"offset": 42, "id": "evt_…", "type": "conversation.routed", "at": "…",
/// "conversation_id": "conv_…", "data": {…}}`.
///
/// The journal stores the envelope without `offset` (the journal's sequence number is the
/// offset), so serving the feed is a splice: `{"offset":N,` + the stored bytes after `{`.
public struct Event: Sendable, Equatable {
  /// The journal sequence number; 0 until committed.
  public var offset: UInt64
  /// Unique and stable (the `webhook-id` of deliveries), `evt_…`.
  public var id: String
  /// `noun.verb_past`, e.g. `message.received`.
  public var type: String
  public var at: Timestamp
  public var conversationId: String?
  public var data: JSON

  public init(
    offset: UInt64 = 0, id: String = Identifier.make("evt"), type: String, at: Timestamp,
    conversationId: String? = nil, data: JSON = .object(JSONObject())
  ) {
    self.offset = offset
    self.id = id
    self.type = type
    self.at = at
    self.conversationId = conversationId
    self.data = data
  }

  /// The stored form of an event whose `data` is written by `data` (hot paths build no
  /// intermediate ``JSON`` tree).
  public static func storedBytes(
    id: String, type: String, at: Timestamp, conversationId: String?,
    data: (inout JSONWriter) -> Void
  ) -> [UInt8] {
    var writer = JSONWriter(capacity: 1024)
    writer.beginObject()
    writer.key("id")
    writer.string(id)
    writer.key("type")
    writer.string(type)
    writer.key("at")
    writer.timestamp(at)
    writer.key("conversation_id")
    writer.string(conversationId)
    writer.key("data")
    data(&writer)
    writer.endObject()
    return writer.bytes
  }

  /// The stored form: the envelope without `offset`, as compact JSON.
  public func storedBytes() -> [UInt8] {
    var writer = JSONWriter(capacity: 512)
    writer.beginObject()
    writer.key("id")
    writer.string(id)
    writer.key("type")
    writer.string(type)
    writer.key("at")
    writer.string(at.rfc3339)
    writer.key("conversation_id")
    writer.string(conversationId)
    writer.key("data")
    writer.write(data)
    writer.endObject()
    return writer.bytes
  }

  /// Reads a stored record back, giving it `offset`.
  public init(storedBytes: [UInt8], offset: UInt64) throws(EventDecodingError) {
    let json: JSON
    do {
      json = try JSON.parse(storedBytes)
    } catch {
      throw EventDecodingError(offset: offset, reason: error.description)
    }
    do {
      let reader = try FieldReader(json)
      id = try reader.string("id")
      type = try reader.string("type")
      guard let at = try reader.optionalTimestamp("at") else {
        throw FieldError(path: "at", message: "is required")
      }
      self.at = at
      conversationId = try reader.optionalString("conversation_id")
      data = json["data"] ?? .object(JSONObject())
      self.offset = offset
    } catch {
      throw EventDecodingError(offset: offset, reason: "\(error)")
    }
  }

  /// The full envelope including `offset`, as JSON bytes: what the feed and deliveries send.
  public static func envelope(offset: UInt64, storedBytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(storedBytes.count + 24)
    out.append(contentsOf: "{\"offset\":\(offset),".utf8)
    out.append(contentsOf: storedBytes.dropFirst())
    return out
  }

  /// The full envelope as a JSON value.
  public var json: JSON {
    [
      "offset": .int(Int64(offset)), "id": .string(id), "type": .string(type), "at": at.json,
      "conversation_id": .optional(conversationId), "data": data,
    ]
  }
}

/// A stored event could not be read back.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
  public var offset: UInt64
  public var reason: String

  public var description: String { "event at offset \(offset) is unreadable: \(reason)" }
}
