/// A field of a JSON document was missing or of the wrong type.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Dotted path of the field (`from.id`, `attachments[1].url`).
  public var path: String
  /// What is wrong with it.
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads typed fields out of a JSON object, throwing a ``FieldError`` that names the field.
///
/// Used wherever untrusted JSON becomes a value: API bodies, adapter payloads, stored events.
public struct FieldReader: Sendable {
  /// The object being read.
  public let object: JSONObject
  /// Path of the object itself ("" at the top).
  public let path: String

  /// Wraps `json`, which must be an object.
  public init(_ json: JSON, path: String = "") throws(FieldError) {
    guard case .object(let object) = json else {
      throw FieldError(path: path, message: "expected an object, found \(json.typeName)")
    }
    self.object = object
    self.path = path
  }

  /// The dotted path of member `key`.
  public func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The raw member, `nil` when absent or `null`.
  public func value(_ key: String) -> JSON? {
    guard let value = object[key], !value.isNull else { return nil }
    return value
  }

  /// A required string member.
  public func string(_ key: String) throws(FieldError) -> String {
    guard let value = try optionalString(key) else {
      throw FieldError(path: path(key), message: "is required")
    }
    return value
  }

  /// A required non-empty string member.
  public func nonEmptyString(_ key: String) throws(FieldError) -> String {
    let value = try string(key)
    guard !value.isEmpty else { throw FieldError(path: path(key), message: "must not be empty") }
    return value
  }

  /// An optional string member (absent or null → nil).
  public func optionalString(_ key: String) throws(FieldError) -> String? {
    guard let value = value(key) else { return nil }
    guard case .string(let text) = value else {
      throw FieldError(path: path(key), message: "expected a string, found \(value.typeName)")
    }
    return text
  }

  /// A string or an integer member, as text (provider ids come as either).
  public func optionalIdentifier(_ key: String) throws(FieldError) -> String? {
    guard let value = value(key) else { return nil }
    switch value {
    case .string(let text): return text
    case .int(let number): return String(number)
    default:
      throw FieldError(
        path: path(key), message: "expected a string or integer, found \(value.typeName)")
    }
  }

  /// A required integer member.
  public func int(_ key: String) throws(FieldError) -> Int64 {
    guard let value = try optionalInt(key) else {
      throw FieldError(path: path(key), message: "is required")
    }
    return value
  }

  /// An optional integer member.
  public func optionalInt(_ key: String) throws(FieldError) -> Int64? {
    guard let value = value(key) else { return nil }
    guard let number = value.intValue else {
      throw FieldError(path: path(key), message: "expected an integer, found \(value.typeName)")
    }
    return number
  }

  /// An optional number member.
  public func optionalDouble(_ key: String) throws(FieldError) -> Double? {
    guard let value = value(key) else { return nil }
    guard let number = value.doubleValue else {
      throw FieldError(path: path(key), message: "expected a number, found \(value.typeName)")
    }
    return number
  }

  /// An optional boolean member.
  public func optionalBool(_ key: String) throws(FieldError) -> Bool? {
    guard let value = value(key) else { return nil }
    guard let flag = value.boolValue else {
      throw FieldError(path: path(key), message: "expected a boolean, found \(value.typeName)")
    }
    return flag
  }

  /// An optional object member, as a reader.
  public func optionalObject(_ key: String) throws(FieldError) -> FieldReader? {
    guard let value = value(key) else { return nil }
    return try FieldReader(value, path: path(key))
  }

  /// A required object member, as a reader.
  public func object(_ key: String) throws(FieldError) -> FieldReader {
    guard let reader = try optionalObject(key) else {
      throw FieldError(path: path(key), message: "is required")
    }
    return reader
  }

  /// An optional array member (absent or null → empty).
  public func array(_ key: String) throws(FieldError) -> [JSON] {
    guard let value = value(key) else { return [] }
    guard case .array(let items) = value else {
      throw FieldError(path: path(key), message: "expected an array, found \(value.typeName)")
    }
    return items
  }

  /// An optional array of objects, each as a reader with an indexed path.
  public func objects(_ key: String) throws(FieldError) -> [FieldReader] {
    var readers: [FieldReader] = []
    for (index, item) in try array(key).enumerated() {
      readers.append(try FieldReader(item, path: "\(path(key))[\(index)]"))
    }
    return readers
  }

  /// An optional array of strings.
  public func strings(_ key: String) throws(FieldError) -> [String] {
    var result: [String] = []
    for (index, item) in try array(key).enumerated() {
      guard case .string(let text) = item else {
        throw FieldError(
          path: "\(path(key))[\(index)]", message: "expected a string, found \(item.typeName)")
      }
      result.append(text)
    }
    return result
  }

  /// An optional RFC 3339 timestamp member.
  public func optionalTimestamp(_ key: String) throws(FieldError) -> Timestamp? {
    guard let text = try optionalString(key) else { return nil }
    guard let date = RFC3339.parse(text) else {
      throw FieldError(path: path(key), message: "expected an RFC 3339 timestamp")
    }
    return Timestamp(date)
  }
}
