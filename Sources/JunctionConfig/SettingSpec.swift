import JunctionModel

/// One setting a channel adapter takes in `channels.json` `settings`, as its manifest
/// declares it. The loader checks every channel instance against its adapter's specs.
public struct SettingSpec: Sendable {
  /// The value's type.
  public enum Kind: Sendable {
    case string
    /// A string that must not be logged; warned about when left at a shipped default.
    case secret
    /// An absolute `http`/`https` (or other scheme listed) URL.
    case url(schemes: [String])
    case integer(ClosedRange<Int>)
    case number
    case boolean
    /// Seconds, as a number or `"30s"`-style string.
    case duration
    case stringList
    case choice([String])
    /// Free-form object (adapter-specific structure, e.g. message templates).
    case object
  }

  public var name: String
  public var kind: Kind
  public var required: Bool
  /// Used when the setting is absent.
  public var defaultValue: JSON?
  /// Shown in the adapter's README and `junction adapters`.
  public var summary: String

  public init(
    _ name: String, _ kind: Kind, required: Bool = false, default defaultValue: JSON? = nil,
    summary: String
  ) {
    self.name = name
    self.kind = kind
    self.required = required
    self.defaultValue = defaultValue
    self.summary = summary
  }

  /// Checks `object` against `specs`, reporting problems to its context, and returns the
  /// settings with defaults filled in (durations normalised to seconds).
  public static func validate(_ object: ConfigObject, against specs: [SettingSpec])
    -> ChannelSettings
  {
    var values = JSONObject()
    for spec in specs {
      if let value = spec.read(from: object) {
        values[spec.name] = value
      } else if let fallback = spec.defaultValue, !object.has(spec.name) {
        values[spec.name] = fallback
      }
    }
    object.finish()
    return ChannelSettings(values)
  }

  private func read(from object: ConfigObject) -> JSON? {
    // An optional setting given as "" (typically `${VAR:-}` with VAR unset) is not set.
    if !required, object.raw(name) == .string("") { return nil }
    switch kind {
    case .string:
      return object.string(name, required: required).map(JSON.string)
    case .secret:
      defer { object.warnIfDefaultSecret(name) }
      return object.nonEmptyString(name, required: required).map(JSON.string)
    case .url(let schemes):
      guard let text = object.nonEmptyString(name, required: required) else { return nil }
      let scheme = text.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
      guard schemes.contains(scheme), text.contains("://") else {
        object.context.issue(
          object.path(name),
          "expected a URL starting with \(schemes.map { "\($0)://" }.joined(separator: " or "))")
        return nil
      }
      return .string(text)
    case .integer(let range):
      return object.int(name, required: required, range: range).map { .int(Int64($0)) }
    case .number:
      return object.double(name, required: required).map(JSON.double)
    case .boolean:
      return object.bool(name, required: required).map(JSON.bool)
    case .duration:
      return object.timerDuration(name, required: required).map(JSON.double)
    case .stringList:
      return object.strings(name, required: required).map { .array($0.map(JSON.string)) }
    case .choice(let allowed):
      return object.string(name, required: required, allowed: allowed).map(JSON.string)
    case .object:
      return object.object(name, required: required).map { nested in
        nested.allow(contentsOf: nested.object.keys)
        return .object(nested.object)
      }
    }
  }
}

extension ConfigObject {
  /// Marks every key in `keys` as known.
  public func allow(contentsOf keys: [String]) {
    for key in keys { _ = raw(key) }
  }
}

/// A channel instance's validated settings.
public struct ChannelSettings: Sendable, Equatable {
  public var values: JSONObject

  public init(_ values: JSONObject = JSONObject()) { self.values = values }

  public func string(_ name: String) -> String? { values[name]?.stringValue }
  public func int(_ name: String) -> Int? { values[name]?.intValue.flatMap { Int(exactly: $0) } }
  public func double(_ name: String) -> Double? { values[name]?.doubleValue }
  public func bool(_ name: String) -> Bool? { values[name]?.boolValue }
  public func strings(_ name: String) -> [String] {
    values[name]?.arrayValue?.compactMap(\.stringValue) ?? []
  }
  public func object(_ name: String) -> JSONObject? { values[name]?.objectValue }
}
