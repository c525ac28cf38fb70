/// A form or query webhook's parameters by name, the first value of each (what SMS providers
/// such as Twilio and Vonage post).
public struct WebhookParameters: Sendable {
  private var values: [String: String] = [:]

  public init(_ pairs: [(name: String, value: String)]) {
    for (name, value) in pairs where values[name] == nil { values[name] = value }
  }

  public subscript(name: String) -> String? { values[name] }

  /// The value, nil when absent or empty.
  public func nonEmpty(_ name: String) -> String? {
    guard let value = values[name], !value.isEmpty else { return nil }
    return value
  }
}
