/// A message after ``TextNormalizer``: folded text, its tokens, the entities taken out of it
/// and the language its letters are written in.
public struct NormalizedText: Sendable, Equatable {
  /// The tokens joined by single spaces (`"где мой заказ <order>"`).
  public var text: String { tokens.joined(separator: " ") }
  /// Words, numbers and entity placeholders (`<url>`, `<email>`, `<phone>`, `<order>`), in order.
  public var tokens: [String]
  /// URLs, e-mail addresses, phone numbers and order numbers found, in order of appearance.
  public var entities: [TextEntity]
  /// `"ru"`, `"en"` or `"fa"` by the script most letters are written in; nil without letters.
  public var language: String?

  /// Creates a normalised text from its parts.
  public init(tokens: [String], entities: [TextEntity] = [], language: String? = nil) {
    self.tokens = tokens
    self.entities = entities
    self.language = language
  }
}

/// Something taken out of a message and replaced by a placeholder token.
public struct TextEntity: Sendable, Equatable, Hashable {
  /// What kind of thing was found.
  public enum Kind: String, Sendable, CaseIterable {
    case url, email, phone, order

    /// The placeholder token that stands for the entity in ``NormalizedText/tokens``.
    public var token: String { "<\(rawValue)>" }
  }

  /// The kind of entity.
  public var kind: Kind
  /// The entity as written after character normalisation (`"+7 912 345-67-89"`, `"A-1234"`).
  public var value: String

  /// Creates an entity.
  public init(kind: Kind, value: String) {
    self.kind = kind
    self.value = value
  }
}
