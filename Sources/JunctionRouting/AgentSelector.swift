import JunctionModel

/// An agent as the selector sees them at one moment.
public struct AgentCandidate: Sendable, Equatable {
  /// The agent as configured.
  public var profile: AgentProfile
  /// Conversations held (offered or assigned) per channel kind.
  public var load: [String: Int]
  /// When the agent last got a conversation (nil: never, the longest idle of all).
  public var lastAssignedAt: Timestamp?

  /// A candidate with its current load.
  public init(profile: AgentProfile, load: [String: Int] = [:], lastAssignedAt: Timestamp? = nil) {
    self.profile = profile
    self.load = load
    self.lastAssignedAt = lastAssignedAt
  }

  /// Free slots for `channelKind` (capacity minus load; never negative).
  public func spare(_ channelKind: String) -> Int {
    max(0, (profile.capacity[channelKind] ?? 0) - (load[channelKind] ?? 0))
  }

  /// Available, working `queue`, handling `skill` and taking `channelKind` at all.
  public func isEligible(queue: String, skill: String?, channelKind: String) -> Bool {
    profile.status == .available && profile.serves(queue: queue, skill: skill)
      && (profile.capacity[channelKind] ?? 0) > 0
  }
}

/// Picks the agent a conversation is offered to: among available agents who work the queue,
/// handle the skill and have a free slot for the channel kind, the one with the most free
/// slots; ties go to the longest idle, then to the smallest id.
///
/// Agents who let this conversation's offer lapse (or declined it) are passed over while any
/// other eligible agent has not had it; once every eligible agent has, a new round begins that
/// skips only the most recent one (unless they are the only one).
public enum AgentSelector {
  /// The chosen agent's id, or nil when nobody can take the conversation now.
  public static func choose(
    queue: String, skill: String?, channelKind: String, among agents: [AgentCandidate],
    lapsed: [String] = []
  ) -> String? {
    let eligible = agents.filter {
      $0.isEligible(queue: queue, skill: skill, channelKind: channelKind)
    }
    let lapsedSet = Set(lapsed)
    let fresh = eligible.filter { !lapsedSet.contains($0.profile.id) }
    var pool: [AgentCandidate]
    if !fresh.isEmpty {
      pool = fresh
    } else {
      pool = eligible
      if let last = lapsed.last,
        pool.contains(where: { $0.profile.id != last && $0.spare(channelKind) > 0 })
      {
        pool.removeAll { $0.profile.id == last }
      }
    }
    return pool.filter { $0.spare(channelKind) > 0 }.min { better($0, $1, channelKind) }?.profile.id
  }

  /// Whether any available agent could take work of `channelKind` in `queue` for `skill`
  /// (for `skip_if_no_agents`; a full agent still counts, a slot will free up).
  public static func hasAvailableAgent(
    queue: String, skill: String?, channelKind: String, among agents: [AgentCandidate]
  ) -> Bool {
    agents.contains { $0.isEligible(queue: queue, skill: skill, channelKind: channelKind) }
  }

  /// Whether `lhs` should be chosen over `rhs`.
  private static func better(_ lhs: AgentCandidate, _ rhs: AgentCandidate, _ kind: String) -> Bool {
    let (left, right) = (lhs.spare(kind), rhs.spare(kind))
    if left != right { return left > right }
    switch (lhs.lastAssignedAt, rhs.lastAssignedAt) {
    case (nil, _?): return true
    case (_?, nil): return false
    case (let a?, let b?) where a != b: return a < b
    default: return lhs.profile.id < rhs.profile.id
    }
  }
}
