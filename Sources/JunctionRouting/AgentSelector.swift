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
    let eligible = agents.indices.filter {
      agents[$0].isEligible(queue: queue, skill: skill, channelKind: channelKind)
    }
    let pool = Pool(agents, channelKind: channelKind)
    return choose(eligible: eligible, pool: pool, lapsed: lapsed).map { agents[$0].profile.id }
  }

  /// What the choice compares, per agent index, without copying profiles.
  struct Pool {
    var ids: [String]
    var spare: [Int]
    /// Milliseconds of the last assignment; `Int64.min` for never.
    var lastAssigned: [Int64]

    init(_ agents: [AgentCandidate], channelKind: String) {
      ids = agents.map(\.profile.id)
      spare = agents.map { $0.spare(channelKind) }
      lastAssigned = agents.map { $0.lastAssignedAt?.millis ?? Int64.min }
    }

    /// Whether agent `lhs` should be chosen over agent `rhs`: more free slots, then longer
    /// idle, then the smaller id.
    func better(_ lhs: Int, _ rhs: Int) -> Bool {
      if spare[lhs] != spare[rhs] { return spare[lhs] > spare[rhs] }
      if lastAssigned[lhs] != lastAssigned[rhs] { return lastAssigned[lhs] < lastAssigned[rhs] }
      return ids[lhs] < ids[rhs]
    }
  }

  /// The index of the chosen agent among the `eligible` indices of `pool`, in one pass.
  static func choose(eligible: [Int], pool: Pool, lapsed: [String]) -> Int? {
    var anyFresh = false
    var bestFresh: Int?
    var bestRound: Int?
    var bestAny: Int?
    let latest = lapsed.last
    func keep(_ best: inout Int?, _ index: Int) {
      if best.map({ pool.better(index, $0) }) ?? true { best = index }
    }
    for index in eligible {
      let isFresh = lapsed.isEmpty || !lapsed.contains(pool.ids[index])
      anyFresh = anyFresh || isFresh
      guard pool.spare[index] > 0 else { continue }
      if isFresh { keep(&bestFresh, index) }
      if latest != pool.ids[index] { keep(&bestRound, index) }
      keep(&bestAny, index)
    }
    if anyFresh { return bestFresh }
    return bestRound ?? bestAny
  }

  /// Whether any available agent could take work of `channelKind` in `queue` for `skill`
  /// (for `skip_if_no_agents`; a full agent still counts, a slot will free up).
  public static func hasAvailableAgent(
    queue: String, skill: String?, channelKind: String, among agents: [AgentCandidate]
  ) -> Bool {
    agents.contains { $0.isEligible(queue: queue, skill: skill, channelKind: channelKind) }
  }
}
