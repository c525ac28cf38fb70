import JunctionDelivery
import JunctionModel

/// What a `subscription.*` event changes.
public enum SubscriptionChange: Sendable, Equatable {
  case created(Subscription)
  case deleted(id: String)
  /// Deliver again every matching event after `after`; recorded at journal offset `offset`.
  case replayed(id: String, after: UInt64, offset: UInt64)
  case disabled(id: String, reason: String)
  case enabled(id: String)

  static func decode(type: String, data: FieldReader, offset: UInt64) throws(FieldError)
    -> SubscriptionChange?
  {
    switch type {
    case EventType.subscriptionCreated:
      var subscription = try Subscription(
        json: try data.object("subscription").object.asJSON, path: "data.subscription")
      subscription.startAfter = offset
      return .created(subscription)
    case EventType.subscriptionDeleted:
      return .deleted(id: try data.string("subscription_id"))
    case EventType.subscriptionReplayed:
      return .replayed(
        id: try data.string("subscription_id"), after: UInt64(max(0, try data.int("after"))),
        offset: offset)
    case EventType.subscriptionDisabled:
      return .disabled(id: try data.string("subscription_id"), reason: try data.string("reason"))
    case EventType.subscriptionEnabled:
      return .enabled(id: try data.string("subscription_id"))
    default:
      return nil
    }
  }
}
