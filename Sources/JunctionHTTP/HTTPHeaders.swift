/// An HTTP method.
public enum HTTPMethod: Hashable, Sendable, CustomStringConvertible {
  case get, head, post, put, patch, delete, options
  case other(String)

  public init(_ text: String) {
    switch text {
    case "GET": self = .get
    case "HEAD": self = .head
    case "POST": self = .post
    case "PUT": self = .put
    case "PATCH": self = .patch
    case "DELETE": self = .delete
    case "OPTIONS": self = .options
    default: self = .other(text)
    }
  }

  public var description: String {
    switch self {
    case .get: return "GET"
    case .head: return "HEAD"
    case .post: return "POST"
    case .put: return "PUT"
    case .patch: return "PATCH"
    case .delete: return "DELETE"
    case .options: return "OPTIONS"
    case .other(let text): return text
    }
  }
}

/// An HTTP version (`HTTP/1.1` is major 1, minor 1).
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
  public var major: Int
  public var minor: Int

  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  public static let http11 = HTTPVersion(major: 1, minor: 1)
  public static let http10 = HTTPVersion(major: 1, minor: 0)

  public var description: String { "HTTP/\(major).\(minor)" }
}

/// Header fields in order; names compare ASCII case-insensitively; duplicates are kept.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
  private var fields: [(name: String, value: String)]

  public init() { fields = [] }

  /// Empty, with room for `capacity` fields (a parsed head: no regrowth field by field).
  init(capacity: Int) {
    fields = []
    fields.reserveCapacity(capacity)
  }

  public init(_ pairs: [(String, String)]) { fields = pairs.map { (name: $0.0, value: $0.1) } }

  /// The first value of `name`, or nil.
  public subscript(name: String) -> String? {
    for field in fields where Self.equalsIgnoringCase(field.name, name) { return field.value }
    return nil
  }

  /// Every value of `name`, in order.
  public func values(_ name: String) -> [String] {
    fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
  }

  /// Appends a field.
  public mutating func add(_ name: String, _ value: String) {
    fields.append((name: name, value: value))
  }

  /// Replaces every field named `name` with one field, or appends it.
  public mutating func replaceOrAdd(_ name: String, _ value: String) {
    fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    fields.append((name: name, value: value))
  }

  /// Removes every field named `name`.
  public mutating func remove(_ name: String) {
    fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
  }

  /// Whether a field named `name` exists.
  public func contains(_ name: String) -> Bool { self[name] != nil }

  public var count: Int { fields.count }

  public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
    fields.makeIterator()
  }

  public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
    lhs.fields.count == rhs.fields.count
      && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
  }

  /// ASCII case-insensitive comparison (header names are ASCII tokens).
  @inlinable
  public static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
    // Over the bytes in place (native strings, small ones included): a lookup runs this
    // against every field of the head. Other strings are copied first.
    let direct = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y in equalsIgnoringCase(x, y) }
    }
    if let direct, let result = direct { return result }
    return Array(a.utf8).withUnsafeBufferPointer { x in
      Array(b.utf8).withUnsafeBufferPointer { y in equalsIgnoringCase(x, y) }
    }
  }

  /// ASCII case-insensitive comparison of two byte strings.
  @inlinable
  static func equalsIgnoringCase(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    guard x.count == y.count else { return false }
    for index in 0..<x.count {
      let (p, q) = (x[index], y[index])
      if p == q { continue }
      let folded = p | 0x20
      guard folded == q | 0x20, folded >= 0x61, folded <= 0x7A else { return false }
    }
    return true
  }
}
