/// One way to reach a contact: a channel instance and the provider's id of the person there
/// (Telegram user id, phone number in E.164, e-mail address).
public struct ContactIdentity: Sendable, Hashable {
  public var channel: String
  public var externalId: String

  public init(channel: String, externalId: String) {
    self.channel = channel
    self.externalId = externalId
  }

  /// The key used for this identity in indexes and journal streams.
  public var key: String { "\(channel)\u{1F}\(externalId)" }

  public var json: JSON { ["channel": .string(channel), "external_id": .string(externalId)] }

  public init(json: JSON, path: String = "identity") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    channel = try reader.string("channel")
    externalId = try reader.string("external_id")
  }
}

/// A person who writes to support, with their identities on every channel.
public struct Contact: Sendable, Equatable {
  public var id: String
  public var name: String?
  public var email: String?
  /// Phone number in E.164 (`+79161234567`) when known.
  public var phone: String?
  /// Language code (`ru`, `en`, `fa`) from the provider or detected.
  public var language: String?
  public var identities: [ContactIdentity]
  /// Free-form attributes (`vip`, `at_risk`, `plan`) used by routing.
  public var attributes: JSONObject
  public var createdAt: Timestamp
  /// Channel instances on which the contact opted out of messages.
  public var optedOut: [String]
  /// Channel instances on which the provider said the contact cannot be reached.
  public var unreachable: [String]

  public init(
    id: String, name: String? = nil, email: String? = nil, phone: String? = nil,
    language: String? = nil, identities: [ContactIdentity] = [],
    attributes: JSONObject = JSONObject(), createdAt: Timestamp, optedOut: [String] = [],
    unreachable: [String] = []
  ) {
    self.id = id
    self.name = name
    self.email = email
    self.phone = phone
    self.language = language
    self.identities = identities
    self.attributes = attributes
    self.createdAt = createdAt
    self.optedOut = optedOut
    self.unreachable = unreachable
  }

  /// Writes the JSON form (the canonical encoding).
  public func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.key("id")
    writer.string(id)
    writeProfile(into: &writer)
    writer.key("identities")
    writer.beginArray()
    for identity in identities {
      writer.beginObject()
      writer.key("channel")
      writer.string(identity.channel)
      writer.key("external_id")
      writer.string(identity.externalId)
      writer.endObject()
    }
    writer.endArray()
    writer.key("attributes")
    writer.write(.object(attributes))
    writer.key("created_at")
    writer.timestamp(createdAt)
    writer.key("opted_out")
    writer.beginArray()
    for channel in optedOut { writer.string(channel) }
    writer.endArray()
    writer.key("unreachable")
    writer.beginArray()
    for channel in unreachable { writer.string(channel) }
    writer.endArray()
    writer.endObject()
  }

  /// Writes `name`, `email`, `phone`, `language` as members of the current object.
  public func writeProfile(into writer: inout JSONWriter) {
    writer.key("name")
    writer.string(name)
    writer.key("email")
    writer.string(email)
    writer.key("phone")
    writer.string(phone)
    writer.key("language")
    writer.string(language)
  }

  /// The summary events carry: `{"id", "name", "email", "phone", "language"}`.
  public func writeSummary(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.key("id")
    writer.string(id)
    writeProfile(into: &writer)
    writer.endObject()
  }

  public var json: JSON { JSON.encoded { write(into: &$0) } }

  public init(json: JSON, path: String = "contact") throws(FieldError) {
    let reader = try FieldReader(json, path: path)
    id = try reader.string("id")
    name = try reader.optionalString("name")
    email = try reader.optionalString("email")
    phone = try reader.optionalString("phone")
    language = try reader.optionalString("language")
    var identities: [ContactIdentity] = []
    for (index, item) in try reader.array("identities").enumerated() {
      identities.append(try ContactIdentity(json: item, path: "\(path).identities[\(index)]"))
    }
    self.identities = identities
    attributes = try reader.optionalObject("attributes")?.object ?? JSONObject()
    createdAt = try reader.optionalTimestamp("created_at") ?? Timestamp(millis: 0)
    optedOut = try reader.strings("opted_out")
    unreachable = try reader.strings("unreachable")
  }
}
