/// Response header fields in arrival order, names as the server spelled them, repeated fields
/// kept; lookups ignore case.
public struct CurlHeaders: Sendable, Equatable, Sequence {
  /// Every field as `(name, value)`, in order.
  public private(set) var fields: [(name: String, value: String)]

  /// Headers from fields in order.
  public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

  /// Appends a field.
  public mutating func append(name: String, value: String) {
    fields.append((name: name, value: value))
  }

  /// Removes the last field (a folded line is about to extend it).
  mutating func removeLast() { _ = fields.popLast() }

  /// Removes every field (a new response head began, e.g. after `100 Continue` or a redirect).
  public mutating func removeAll() { fields.removeAll() }

  /// The first value of the field `name`, ignoring case.
  public subscript(name: String) -> String? { first(name) }

  /// The first value of the field `name`, ignoring case.
  public func first(_ name: String) -> String? {
    fields.first { Self.same($0.name, name) }?.value
  }

  /// Every value of the field `name` in order, ignoring case.
  public func values(_ name: String) -> [String] {
    fields.filter { Self.same($0.name, name) }.map(\.value)
  }

  /// One value per name (first spelling kept), repeated fields joined with `", "` as HTTP list
  /// semantics allow; `Set-Cookie` values are joined too, so read them with `values(_:)`.
  public func merged() -> [String: String] {
    var result: [String: String] = [:]
    var spelling: [String: String] = [:]
    for (name, value) in fields {
      let key = name.lowercased()
      if let existing = spelling[key] {
        result[existing] = (result[existing] ?? "") + ", " + value
      } else {
        spelling[key] = name
        result[name] = value
      }
    }
    return result
  }

  /// The number of fields.
  public var count: Int { fields.count }

  /// Iterates the fields in order.
  public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
    fields.makeIterator()
  }

  /// Equal when the same fields arrived in the same order.
  public static func == (lhs: CurlHeaders, rhs: CurlHeaders) -> Bool {
    lhs.fields.count == rhs.fields.count
      && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
  }

  private static func same(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a.lowercased() == b.lowercased()
  }
}
