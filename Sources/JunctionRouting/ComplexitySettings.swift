/// The explainable signals that make up a message's complexity (keys of
/// `complexity.weights` in `routing.json`).
public enum ComplexitySignal: String, Sendable, CaseIterable, Equatable {
  /// How unsure the classifier is: 1 − the top skill's probability.
  case uncertainty
  /// How long the message is, from 0 at `short_message_words` to 1 at `long_message_words`.
  case length
  /// Several skills at once: the second skill's probability over the first's, when it is at
  /// least `multiple_skills_min`.
  case multipleSkills = "multiple_skills"
  /// Attachments, 1 at `attachments_for_full` or more.
  case attachments
  /// Earlier conversations of the contact within `repeat_window`, 1 at `repeats_for_full`.
  case repeatContact = "repeat_contact"
  /// Any escalation word or phrase (complaint, lawyer, жалоба, شکایت ...).
  case escalation
  /// The contact's VIP attribute is set.
  case vip
  /// The contact's at-risk attribute is set.
  case atRisk = "at_risk"
  /// The channel kind's value from `channels` (e-mail tends to carry harder cases than chat).
  case channel
}

/// The `complexity` part of `routing.json`; every field has a default, so `{}` is valid.
public struct ComplexitySettings: Sendable, Equatable {
  /// Weight of each signal; the score is the sum of weight × value, capped at 1.
  public var weights: [ComplexitySignal: Double] = [
    .uncertainty: 0.3, .length: 0.15, .multipleSkills: 0.15, .attachments: 0.1,
    .repeatContact: 0.2, .escalation: 0.45, .vip: 0.2, .atRisk: 0.25, .channel: 1,
  ]
  /// Phrases that call for an experienced agent, matched typo-tolerantly on normalised text.
  public var escalationWords: [String] = [
    "complaint", "complain", "lawyer", "attorney", "sue", "court", "cancel my account",
    "close my account", "unacceptable", "refund immediately", "жалоба", "жаловаться", "суд",
    "юрист", "адвокат", "претензия", "верните деньги", "роспотребнадзор", "безобразие",
    "شکایت", "وکیل", "دادگاه",
  ]
  /// How far back earlier conversations count as a repeat contact (seconds; gateway's filter).
  public var repeatWindow: Double = 7 * 86_400
  /// Earlier conversations in the window at which the repeat signal is full.
  public var repeatsForFull = 3
  /// Attachments at which the attachment signal is full.
  public var attachmentsForFull = 3
  /// Words at or below which a message adds nothing for length.
  public var shortMessageWords = 12
  /// Words at which the length signal is full.
  public var longMessageWords = 80
  /// The second skill must reach this probability to count as a second topic.
  public var multipleSkillsMin = 0.2
  /// The contact attribute that marks a VIP (true, "true", "yes", 1 or a non-empty tier name).
  public var vipAttribute = "vip"
  /// The contact attribute that marks a customer at risk of leaving.
  public var atRiskAttribute = "at_risk"
  /// Value in [0, 1] of the channel signal per channel kind (`email`, `chat`, `sms` ...).
  public var channels: [String: Double] = ["email": 0.1]

  /// The defaults.
  public init() {}
}

/// A complexity tier: messages scoring below `below` (and not in an earlier tier) belong here.
public struct ComplexityTier: Sendable, Equatable {
  /// The tier's id (`bot`, `L1`, `L2`, `L3`).
  public var id: String
  /// Exclusive upper bound of the score; nil for the last tier, which takes the rest.
  public var below: Double?

  /// Creates a tier.
  public init(id: String, below: Double?) {
    self.id = id
    self.below = below
  }

  /// The tiers used when `routing.json` declares none: every message is `L1`.
  public static let defaults = [ComplexityTier(id: "L1", below: nil)]

  /// The first tier of `tiers` whose bound is above `score` (the last one otherwise).
  public static func tier(for score: Double, in tiers: [ComplexityTier]) -> String {
    for tier in tiers {
      guard let below = tier.below else { return tier.id }
      if score < below { return tier.id }
    }
    return tiers.last?.id ?? "L1"
  }
}
