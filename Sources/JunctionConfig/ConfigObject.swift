import JunctionModel

/// Reads one JSON object of a config file strictly.
///
/// Every accessor records the key as known; a wrong type or bad value becomes an issue at its
/// JSON path and the accessor returns `nil` (so one pass reports every problem). Call
/// ``finish()`` when done: keys that were never asked for are reported as unknown.
public final class ConfigObject {
  public let context: ConfigContext
  public let path: String
  public let object: JSONObject
  private var known: Set<String> = []

  /// Wraps `json`; when it is not an object, records an issue and reads as empty.
  public init(_ json: JSON, path: String, context: ConfigContext) {
    self.context = context
    self.path = path
    if case .object(let object) = json {
      self.object = object
    } else {
      self.object = JSONObject()
      context.issue(path, "expected an object, found \(json.typeName)")
    }
  }

  /// The JSON path of member `key`.
  public func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// Whether the member is present (and not null).
  public func has(_ key: String) -> Bool {
    known.insert(key)
    if let value = object[key], !value.isNull { return true }
    return false
  }

  /// The raw member; marks it known.
  public func raw(_ key: String) -> JSON? {
    known.insert(key)
    guard let value = object[key], !value.isNull else { return nil }
    return value
  }

  /// Reports a missing required member and returns nil, or returns the member.
  private func member(_ key: String, required: Bool) -> JSON? {
    guard let value = raw(key) else {
      if required { context.issue(path(key), "is required") }
      return nil
    }
    return value
  }

  private func mismatch(_ key: String, _ expected: String, _ value: JSON) {
    context.issue(path(key), "expected \(expected), found \(value.typeName)")
  }

  /// A string member, optionally restricted to `allowed` values.
  public func string(_ key: String, required: Bool = false, allowed: [String]? = nil) -> String? {
    guard let value = member(key, required: required) else { return nil }
    guard case .string(let text) = value else {
      mismatch(key, "a string", value)
      return nil
    }
    if let allowed, !allowed.contains(text) {
      let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
      context.issue(path(key), "unknown value \"\(text)\" (expected one of \(list))")
      return nil
    }
    return text
  }

  /// A non-empty string member.
  public func nonEmptyString(_ key: String, required: Bool = false) -> String? {
    guard let text = string(key, required: required) else { return nil }
    if text.isEmpty {
      context.issue(path(key), "must not be empty")
      return nil
    }
    return text
  }

  /// An integer member within `range`.
  public func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
    guard let value = member(key, required: required) else { return nil }
    guard let number = value.intValue, let integer = Int(exactly: number) else {
      mismatch(key, "an integer", value)
      return nil
    }
    if let range, !range.contains(integer) {
      context.issue(
        path(key), "must be between \(range.lowerBound) and \(range.upperBound), found \(integer)")
      return nil
    }
    return integer
  }

  /// A number member within `range`.
  public func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil)
    -> Double?
  {
    guard let value = member(key, required: required) else { return nil }
    guard let number = value.doubleValue else {
      mismatch(key, "a number", value)
      return nil
    }
    if let range, !range.contains(number) {
      context.issue(
        path(key), "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
      return nil
    }
    return number
  }

  /// A boolean member.
  public func bool(_ key: String, required: Bool = false) -> Bool? {
    guard let value = member(key, required: required) else { return nil }
    guard let flag = value.boolValue else {
      mismatch(key, "a boolean", value)
      return nil
    }
    return flag
  }

  /// A duration in seconds: a number of seconds or a string like `"500ms"`, `"30s"`, `"5m"`,
  /// `"2h"`, `"1d"`, `"1h30m"`.
  public func duration(_ key: String, required: Bool = false) -> Double? {
    guard let value = member(key, required: required) else { return nil }
    if let seconds = value.doubleValue, seconds >= 0, seconds.isFinite { return seconds }
    if case .string(let text) = value, let seconds = ConfigUnits.seconds(text) { return seconds }
    context.issue(path(key), "expected a duration such as \"30s\", \"5m\", \"2h\" or seconds")
    return nil
  }

  /// A duration Junction waits on with a timer: as ``duration(_:required:)``, and at most
  /// ``longestTimer`` (timers count nanoseconds in 64 bits).
  public func timerDuration(_ key: String, required: Bool = false) -> Double? {
    guard let seconds = duration(key, required: required) else { return nil }
    guard seconds <= Self.longestTimer else {
      context.issue(path(key), "must be at most 100 years")
      return nil
    }
    return seconds
  }

  /// The longest timer duration accepted: 100 years, in seconds.
  public static let longestTimer = 100 * 365.25 * 86_400

  /// A size in bytes: an integer or a string like `"16KiB"`, `"1MiB"`, `"64MiB"`, `"1GiB"`.
  public func bytes(_ key: String, required: Bool = false) -> Int? {
    guard let value = member(key, required: required) else { return nil }
    if let number = value.intValue, number >= 0, let bytes = Int(exactly: number) { return bytes }
    if case .string(let text) = value, let bytes = ConfigUnits.bytes(text) { return bytes }
    context.issue(path(key), "expected a size such as \"16KiB\", \"1MiB\" or a number of bytes")
    return nil
  }

  /// A nested object member.
  public func object(_ key: String, required: Bool = false) -> ConfigObject? {
    guard let value = member(key, required: required) else { return nil }
    guard case .object = value else {
      mismatch(key, "an object", value)
      return nil
    }
    return ConfigObject(value, path: path(key), context: context)
  }

  /// An array member's elements with their paths.
  public func array(_ key: String, required: Bool = false) -> [(path: String, value: JSON)]? {
    guard let value = member(key, required: required) else { return nil }
    guard case .array(let items) = value else {
      mismatch(key, "an array", value)
      return nil
    }
    return items.enumerated().map { ("\(path(key))[\($0.offset)]", $0.element) }
  }

  /// An array of objects.
  public func objects(_ key: String, required: Bool = false) -> [ConfigObject]? {
    array(key, required: required)?.map { ConfigObject($0.value, path: $0.path, context: context) }
  }

  /// An array of strings (non-strings reported and skipped).
  public func strings(_ key: String, required: Bool = false) -> [String]? {
    guard let items = array(key, required: required) else { return nil }
    var result: [String] = []
    for (itemPath, item) in items {
      if case .string(let text) = item {
        result.append(text)
      } else {
        context.issue(itemPath, "expected a string, found \(item.typeName)")
      }
    }
    return result
  }

  /// Marks keys as known without reading them (documentation keys such as `"_comment"`).
  public func allow(_ keys: String...) { known.formUnion(keys) }

  /// Reports every member that no accessor asked for. Keys starting with `_` are comments.
  public func finish() {
    for key in object.keys where !known.contains(key) && !key.hasPrefix("_") {
      context.issue(path(key), "unknown key")
    }
  }

  /// Warns when the string at `key` came from a `${NAME:-default}` fallback (call for secrets).
  public func warnIfDefaultSecret(_ key: String) {
    if let variable = context.fallbacks[path(key)] {
      context.warn(
        path(key),
        "secret uses its shipped default; set \(variable) in the environment for production")
    }
  }
}
