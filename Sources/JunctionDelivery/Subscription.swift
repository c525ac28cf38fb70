import JunctionModel

/// A helpdesk's webhook subscription: which events go to which URL.
///
/// Created by `POST /v1/subscriptions` and journaled as `subscription.created`; its signing
/// secret is never journaled (it is derived from a key in the data directory, see
/// ``GatewayKeys``).
public struct Subscription: Sendable, Equatable {
  public var id: String
  /// Where events are POSTed.
  public var url: String
  /// Event types to deliver; empty for all.
  public var types: [String]
  /// Queues whose conversations' events are delivered; empty for all. Events without a
  /// conversation are delivered whatever the queues.
  public var queues: [String]
  public var createdAt: Timestamp
  /// The API token that created it.
  public var createdBy: String
  /// Deliveries start after this journal offset (the `subscription.created` event's).
  public var startAfter: UInt64
  /// Set when deliveries stopped after failing for too long; cleared by enabling it again.
  public var disabledReason: String?

  public init(
    id: String, url: String, types: [String] = [], queues: [String] = [], createdAt: Timestamp,
    createdBy: String, startAfter: UInt64 = 0, disabledReason: String? = nil
  ) {
    self.id = id
    self.url = url
    self.types = types
    self.queues = queues
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.startAfter = startAfter
    self.disabledReason = disabledReason
  }

  public var isDisabled: Bool { disabledReason != nil }

  /// Whether an event of `type` whose conversation sits in `queue` (nil: no conversation)
  /// goes to this subscription.
  /// A type pattern ending in `.*` (`message.*`) matches every type with that prefix.
  public func matches(type: String, queue: String?) -> Bool {
    if !types.isEmpty
      && !types.contains(where: {
        $0 == type || ($0.hasSuffix(".*") && type.hasPrefix($0.dropLast()))
      })
    {
      return false
    }
    if !queues.isEmpty, let queue, !queues.contains(queue) { return false }
    return true
  }

  /// The JSON form of events and API answers (never with the secret).
  public var json: JSON {
    var object: JSONObject = [
      "id": .string(id), "url": .string(url), "types": .array(types.map(JSON.string)),
      "queues": .array(queues.map(JSON.string)), "created_at": createdAt.json,
      "created_by": .string(createdBy), "start_after": .int(Int64(startAfter)),
      "status": .string(isDisabled ? "disabled" : "active"),
    ]
    if let disabledReason { object["disabled_reason"] = .string(disabledReason) }
    return .object(object)
  }

  /// Reads the JSON form back (from a `subscription.created` event or a snapshot).
  public init(json: JSON, path: String = "subscription") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    id = try reader.string("id")
    url = try reader.string("url")
    types = try reader.strings("types")
    queues = try reader.strings("queues")
    createdAt = try reader.optionalTimestamp("created_at") ?? Timestamp(millis: 0)
    createdBy = try reader.optionalString("created_by") ?? ""
    startAfter = UInt64(max(0, try reader.optionalInt("start_after") ?? 0))
    disabledReason = try reader.optionalString("disabled_reason")
  }
}
