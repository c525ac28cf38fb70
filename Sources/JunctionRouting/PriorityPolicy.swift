import JunctionConfig
import JunctionModel

/// How a conversation's effective priority rises above its target's base priority: a boost per
/// truthy contact attribute (`vip`, `at_risk`) and a boost once little of the SLA target is
/// left. Read from `routing.json`'s `priority`.
public struct PriorityPolicy: Sendable, Equatable {
  /// A boost for contacts whose attribute is truthy.
  public struct AttributeBoost: Sendable, Equatable {
    /// The contact attribute (`vip`).
    public var attribute: String
    /// Added to the priority when the attribute is truthy.
    public var boost: Int

    /// A boost for one attribute.
    public init(attribute: String, boost: Int) {
      self.attribute = attribute
      self.boost = boost
    }
  }

  /// Boost per contact attribute, applied when the attribute is truthy.
  public var contactBoosts: [AttributeBoost]
  /// The boost applies once at most this fraction of the SLA target is left (or it is past).
  public var slaWithin: Double
  /// The SLA boost; 0 for none.
  public var slaBoost: Int

  /// A policy with the given boosts (none by default).
  public init(contactBoosts: [AttributeBoost] = [], slaWithin: Double = 0.2, slaBoost: Int = 0) {
    self.contactBoosts = contactBoosts
    self.slaWithin = slaWithin
    self.slaBoost = slaBoost
  }

  /// The effective priority at `now` of a conversation with `base` priority, its contact's
  /// `attributes` and its running SLA `deadline`, with each part kept for the explanation.
  public func effectivePriority(
    base: Int, contact attributes: JSONObject, now: Timestamp, deadline: SLADeadline?
  ) -> PriorityBreakdown {
    var breakdown = PriorityBreakdown(base: base)
    for boost in contactBoosts where Self.isTruthy(attributes[boost.attribute]) {
      breakdown.contactBoosts.append(boost)
    }
    if slaBoost != 0, let deadline, deadline.remainingFraction(at: now) <= slaWithin {
      breakdown.slaBoost = slaBoost
    }
    return breakdown
  }

  /// `true`, a non-zero number, or a non-empty string other than `false`, `no` and `0`.
  public static func isTruthy(_ value: JSON?) -> Bool {
    switch value {
    case .bool(let flag)?: return flag
    case .int(let number)?: return number != 0
    case .double(let number)?: return number != 0
    case .string(let text)?: return !["", "false", "no", "0"].contains(text.lowercased())
    default: return false
    }
  }

  /// Reads `{"contact_boosts": {"vip": 20}, "sla_boost": {"within": 0.2, "boost": 10}}`.
  static func parse(_ object: ConfigObject?) -> PriorityPolicy {
    guard let object else { return PriorityPolicy() }
    var policy = PriorityPolicy()
    if let boosts = object.object("contact_boosts") {
      for attribute in boosts.object.keys {
        if let boost = boosts.int(attribute, range: -1_000_000...1_000_000) {
          policy.contactBoosts.append(AttributeBoost(attribute: attribute, boost: boost))
        }
      }
      boosts.finish()
    }
    if let sla = object.object("sla_boost") {
      policy.slaWithin = sla.double("within", required: true, range: 0...1) ?? policy.slaWithin
      policy.slaBoost = sla.int("boost", required: true, range: -1_000_000...1_000_000) ?? 0
      sla.finish()
    }
    object.finish()
    return policy
  }
}

/// An effective priority and what it is made of.
public struct PriorityBreakdown: Sendable, Equatable {
  /// The target's base priority.
  public var base: Int
  /// The contact boosts that applied.
  public var contactBoosts: [PriorityPolicy.AttributeBoost] = []
  /// The SLA boost that applied (0 for none).
  public var slaBoost = 0

  /// A breakdown with no boosts yet.
  public init(base: Int) { self.base = base }

  /// Base plus every boost.
  public var total: Int { base + contactBoosts.reduce(0) { $0 + $1.boost } + slaBoost }

  /// `{"base": 10, "contact": {"vip": 20}, "sla": 10, "total": 40}`.
  public var json: JSON {
    [
      "base": .int(Int64(base)),
      "contact": .object(
        JSONObject(contactBoosts.map { ($0.attribute, JSON.int(Int64($0.boost))) })),
      "sla": .int(Int64(slaBoost)), "total": .int(Int64(total)),
    ]
  }
}
