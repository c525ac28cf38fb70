import JunctionModel

/// What `GET /healthz` says: `{"status": "ok"}` plus details per component (a mailbox that
/// cannot be polled, a journal refusing writes) that operators can alert on.
public struct HealthReport: Sendable {
  /// Component name → problem, for components that are not healthy.
  public var problems: [String: String] = [:]
  /// Component name → detail object, for the curious.
  public var details: JSONObject = JSONObject()

  public init() {}

  /// Whether the gateway can take traffic. Degraded components (an unreachable mailbox) are
  /// reported but do not make the whole gateway unhealthy unless they are the journal.
  public var isHealthy: Bool { problems["journal"] == nil }

  public var json: JSON {
    var object: JSONObject = [
      "status": .string(problems.isEmpty ? "ok" : (isHealthy ? "degraded" : "unavailable"))
    ]
    if !problems.isEmpty {
      object["problems"] = .object(
        JSONObject(problems.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }
    if !details.isEmpty { object["details"] = .object(details) }
    return .object(object)
  }
}
