import JunctionModel

/// What a `contact.*` event (other than creation) changes about a contact.
public enum ContactChange: Sendable, Equatable {
  /// `contact.opted_out`: no more non-transactional messages on `channel`.
  case optedOut(channel: String)
  /// `contact.opted_in`: opted back in on `channel`.
  case optedIn(channel: String)
  /// `contact.unreachable`: the provider says the contact cannot be reached on `channel`.
  case unreachable(channel: String)

  static func decode(type: String, data: FieldReader) throws(FieldError) -> ContactChange? {
    switch type {
    case EventType.contactOptedOut: return .optedOut(channel: try data.string("channel"))
    case EventType.contactOptedIn: return .optedIn(channel: try data.string("channel"))
    case EventType.contactUnreachable: return .unreachable(channel: try data.string("channel"))
    default: return nil
    }
  }
}

extension Contact {
  /// Applies `change`.
  mutating func apply(_ change: ContactChange) {
    switch change {
    case .optedOut(let channel):
      if !optedOut.contains(channel) { optedOut.append(channel) }
    case .optedIn(let channel):
      optedOut.removeAll { $0 == channel }
      unreachable.removeAll { $0 == channel }
    case .unreachable(let channel):
      if !unreachable.contains(channel) { unreachable.append(channel) }
    }
  }
}
