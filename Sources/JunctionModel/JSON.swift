/// A JSON value.
///
/// Junction parses every request body, config file and journal record into this type with
/// ``JSONParser`` (strict RFC 8259, byte offsets in errors) and writes it back with
/// ``JSONWriter``. Numbers without fraction or exponent that fit 64 bits stay integers, so
/// provider ids such as Telegram's `-1001873264519` survive exactly.
public enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([JSON])
  case object(JSONObject)

  /// The member named `key` when this is an object.
  @inlinable
  public subscript(key: String) -> JSON? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The element at `index` when this is an array and the index exists.
  public subscript(index: Int) -> JSON? {
    if case .array(let items) = self, items.indices.contains(index) { return items[index] }
    return nil
  }

  /// The string, when this is a string.
  @inlinable
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The integer, when this is an integer (or a double with an exact integer value).
  public var intValue: Int64? {
    switch self {
    case .int(let value): return value
    case .double(let value):
      guard value.rounded() == value, abs(value) < 9.2e18 else { return nil }
      return Int64(value)
    default: return nil
    }
  }

  /// The number as a double, when this is a number.
  public var doubleValue: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    default: return nil
    }
  }

  /// The boolean, when this is a boolean.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements, when this is an array.
  public var arrayValue: [JSON]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The members, when this is an object.
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// True for `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The JSON type's name, for error messages ("expected string, found number").
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .int, .double: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

/// A JSON object that keeps its members in order (so output is stable and config errors can
/// point at the member as written).
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
  public typealias Member = (key: String, value: JSON)

  @usableFromInline var members: [Member]

  public init() { members = [] }

  public init(dictionaryLiteral elements: (String, JSON)...) {
    members = elements.map { (key: $0.0, value: $0.1) }
  }

  public init(_ members: [(String, JSON)]) {
    self.members = members.map { (key: $0.0, value: $0.1) }
  }

  /// The value of the first member named `key`; setting replaces it or appends a member,
  /// setting `nil` removes it.
  @inlinable
  public subscript(key: String) -> JSON? {
    get {
      for member in members where member.key == key { return member.value }
      return nil
    }
    set {
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append((key: key, value: newValue))
      }
    }
  }

  /// Member names in order.
  public var keys: [String] { members.map(\.key) }
  /// Number of members.
  public var count: Int { members.count }
  public var isEmpty: Bool { members.isEmpty }

  public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

  /// Appends a member without checking for an existing one (the parser checks duplicates).
  public mutating func append(_ key: String, _ value: JSON) {
    members.append((key: key, value: value))
  }

  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    lhs.members.count == rhs.members.count
      && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
  ExpressibleByFloatLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSON...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSON)...) {
    self = .object(JSONObject(elements.map { ($0.0, $0.1) }))
  }
  public init(nilLiteral: ()) { self = .null }
  public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSON {
  /// `.string(value)` or `.null` when `value` is nil: for optional fields.
  public static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
}
