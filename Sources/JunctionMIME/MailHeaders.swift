/// One header field, unfolded.
public struct MailHeader: Sendable, Equatable {
  /// The name as written (`Subject`).
  public var name: String {
    didSet { key = name.asciiLowercased() }
  }
  /// The name lowercased, for lookups.
  private(set) var key: String
  /// The value after the colon: unfolded (each CRLF before whitespace removed), trimmed, raw
  /// 8-bit bytes decoded as UTF-8 (or the part's charset, or a guess), RFC 2047 encoded words
  /// *not* decoded — see ``MailHeaders/text(_:)`` for that.
  public var value: String

  /// A field; `value` is stored as given.
  public init(name: String, value: String) {
    self.name = name
    self.key = name.asciiLowercased()
    self.value = value
  }
}

/// The header fields of a message or MIME part, in order. Names compare case-insensitively;
/// repeated fields are all kept.
public struct MailHeaders: Sendable, Equatable, RandomAccessCollection {
  /// Every field, in the order of the message.
  public var fields: [MailHeader]

  /// Headers made of `fields`, in order.
  public init(_ fields: [MailHeader] = []) { self.fields = fields }

  /// The index of the first field.
  public var startIndex: Int { fields.startIndex }
  /// The index after the last field.
  public var endIndex: Int { fields.endIndex }
  /// The field at `position`.
  public subscript(position: Int) -> MailHeader { fields[position] }

  /// The raw value of the first field named `name`, or nil.
  public subscript(name: String) -> String? {
    let key = name.asciiLowercased()
    for field in fields where field.key == key { return field.value }
    return nil
  }

  /// The raw values of every field named `name`, in order.
  public func values(_ name: String) -> [String] {
    let key = name.asciiLowercased()
    return fields.filter { $0.key == key }.map(\.value)
  }

  /// Whether a field named `name` is present.
  public func contains(_ name: String) -> Bool { self[name] != nil }

  /// The first field named `name` as unstructured text, RFC 2047 encoded words decoded
  /// (`Subject`, `Comments`, `Thread-Topic`).
  public func text(_ name: String) -> String? { self[name].map(EncodedWord.decode) }

  /// Every address in every field named `name` (`From`, `To`, `Cc`, `Reply-To`), group
  /// members flattened, display names decoded.
  public func addresses(_ name: String) -> [MailAddress] {
    values(name).flatMap { MailAddress.parseList($0) }
  }

  /// The message ids of every field named `name` (`Message-ID`, `In-Reply-To`,
  /// `References`), without angle brackets, in order.
  public func messageIDs(_ name: String) -> [String] {
    values(name).flatMap { MessageIDList.parse($0) }
  }

  /// Appends a field.
  public mutating func append(_ name: String, _ value: String) {
    fields.append(MailHeader(name: name, value: value))
  }

  /// ASCII case-insensitive comparison of header names.
  static func sameName(_ lhs: String, _ rhs: String) -> Bool {
    let left = lhs.utf8
    let right = rhs.utf8
    guard left.count == right.count else { return false }
    for (a, b) in zip(left, right) where a != b {
      let lowerA = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
      let lowerB = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
      if lowerA != lowerB { return false }
    }
    return true
  }
}
