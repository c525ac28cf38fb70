import JunctionModel

/// Whether an agent takes new work.
public enum AgentStatus: String, Sendable, CaseIterable {
  /// Gets offers.
  case available
  /// Keeps what they have, gets no offers (outstanding offers are withdrawn).
  case away
  /// Gone: offers are withdrawn and unanswered conversations return to their queues.
  case offline
}

/// An agent as `PUT /v1/agents/{id}` describes them:
/// `{"skills": ["billing"], "capacity": {"chat": 3, "email": 10, "sms": 5},
/// "status": "available", "queues": ["l1_chat"]}`.
public struct AgentProfile: Sendable, Equatable {
  /// The agent id (from `PUT /v1/agents/{id}`).
  public var id: String
  /// Skills the agent handles; `*` handles every skill.
  public var skills: Set<String>
  /// How many conversations of each channel kind the agent holds at once (offers included);
  /// a kind not listed is 0.
  public var capacity: [String: Int]
  /// Whether the agent takes new work.
  public var status: AgentStatus
  /// The queues the agent works; nil for every queue.
  public var queues: Set<String>?

  /// An agent profile.
  public init(
    id: String, skills: Set<String> = [], capacity: [String: Int] = [:],
    status: AgentStatus = .available, queues: Set<String>? = nil
  ) {
    self.id = id
    self.skills = skills
    self.capacity = capacity
    self.status = status
    self.queues = queues
  }

  /// Whether the agent works `queue` and handles `skill` (nil: a conversation without a
  /// skill, which any agent handles).
  public func serves(queue: String, skill: String?) -> Bool {
    guard queues?.contains(queue) ?? true else { return false }
    guard let skill else { return true }
    return skills.contains(skill) || skills.contains("*")
  }

  /// Reads a `PUT /v1/agents/{id}` body strictly (unknown keys, wrong types, negative
  /// capacities and unknown statuses are errors naming the field).
  public init(id: String, json: JSON) throws(FieldError) {
    let reader = try FieldReader(json)
    for key in reader.object.keys where !["skills", "capacity", "status", "queues"].contains(key) {
      throw FieldError(path: key, message: "unknown key")
    }
    self.id = id
    skills = Set(try reader.strings("skills"))
    capacity = [:]
    if let object = try reader.optionalObject("capacity") {
      for kind in object.object.keys {
        let count = try object.int(kind)
        guard (0...10_000).contains(count) else {
          throw FieldError(path: object.path(kind), message: "must be between 0 and 10000")
        }
        capacity[kind] = Int(count)
      }
    }
    let statusText = try reader.optionalString("status") ?? AgentStatus.available.rawValue
    guard let status = AgentStatus(rawValue: statusText) else {
      throw FieldError(
        path: "status", message: "expected \"available\", \"away\" or \"offline\"")
    }
    self.status = status
    queues = reader.value("queues") == nil ? nil : Set(try reader.strings("queues"))
  }

  /// The JSON form (`GET /v1/agents/{id}`).
  public var json: JSON {
    [
      "id": .string(id), "skills": .array(skills.sorted().map(JSON.string)),
      "capacity": .object(
        JSONObject(capacity.sorted { $0.key < $1.key }.map { ($0.key, JSON.int(Int64($0.value))) })),
      "status": .string(status.rawValue),
      "queues": queues.map { .array($0.sorted().map(JSON.string)) } ?? .null,
    ]
  }
}
