import JunctionConfig
import JunctionModel

/// What a queue does when a conversation arrives while its calendar is closed.
public enum OutsideHoursRule: Sendable, Equatable {
  /// Stay in the queue until it opens (no automatic reply).
  case wait
  /// Go to another queue instead (a night shift, a partner's queue).
  case overflow(to: String)
  /// Stay, and answer with a text per language ("We will answer from {opens_at}").
  case holdReply(HoldReplyText)
}

/// A hold reply in several languages, with the first configured language as the fallback.
public struct HoldReplyText: Sendable, Equatable {
  /// Language codes in config order.
  public var languages: [String]
  /// Text per language code.
  public var texts: [String: String]

  /// Texts from `(language, text)` pairs; the first is the fallback.
  public init(_ pairs: [(String, String)]) {
    languages = pairs.map(\.0)
    texts = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
  }

  /// The text in `language` (its primary subtag), else in the first configured language.
  public func text(for language: String?) -> String {
    if let language, let text = texts[language] { return text }
    if let primary = language?.split(separator: "-").first.map({ $0.lowercased() }),
      let text = texts[primary]
    {
      return text
    }
    return languages.first.flatMap { texts[$0] } ?? ""
  }
}

/// One queue from `routing.json`'s `queues`.
public struct QueueDefinition: Sendable, Equatable {
  /// The queue id used in targets, events and `/v1/queues/{id}` (`l1_chat`).
  public var id: String
  /// A human name for dashboards.
  public var name: String?
  /// The id of the business calendar; nil for a queue open 24/7.
  public var calendar: String?
  /// What happens to arrivals while the calendar is closed.
  public var outsideHours: OutsideHoursRule
  /// Whether conversations are offered to agents (push); pull with `claim` works either way.
  public var push: Bool
  /// How long an offer waits for acceptance here; nil uses `agents.reservation_timeout`.
  public var reservationTimeout: Double?

  /// A queue definition.
  public init(
    id: String, name: String? = nil, calendar: String? = nil,
    outsideHours: OutsideHoursRule = .wait, push: Bool = false, reservationTimeout: Double? = nil
  ) {
    self.id = id
    self.name = name
    self.calendar = calendar
    self.outsideHours = outsideHours
    self.push = push
    self.reservationTimeout = reservationTimeout
  }

  /// The id of the queue catching conversations no filter matched (and those whose targets ran
  /// out) when `routing.json` declares queues.
  public static let unmatchedId = "_unmatched"
  /// The single queue used when `routing.json` declares no queues.
  public static let generalId = "general"

  /// Reads one entry of `queues`; references to calendars and queues are checked by the
  /// caller, which knows them all.
  static func parse(_ entry: ConfigObject) -> QueueDefinition? {
    let id = entry.nonEmptyString("id", required: true)
    if let id, id != unmatchedId, !ChannelsConfig.isValidId(id) {
      entry.context.issue(
        entry.path("id"),
        "must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit")
    }
    let name = entry.string("name")
    let calendar = entry.nonEmptyString("calendar")
    var outsideHours = OutsideHoursRule.wait
    if let rule = entry.object("outside_hours") {
      outsideHours = parseOutsideHours(rule) ?? .wait
      if calendar == nil {
        entry.context.issue(rule.path, "needs a \"calendar\" (a queue without one never closes)")
      }
    }
    let push = entry.bool("push") ?? false
    let reservation = QueueingConfig.period(entry, "reservation_timeout")
    entry.finish()
    guard let id else { return nil }
    return QueueDefinition(
      id: id, name: name, calendar: calendar, outsideHours: outsideHours, push: push,
      reservationTimeout: reservation)
  }

  private static func parseOutsideHours(_ rule: ConfigObject) -> OutsideHoursRule? {
    let overflow = rule.nonEmptyString("overflow_to")
    let hold = rule.object("hold_reply")
    defer { rule.finish() }
    switch (overflow, hold) {
    case (let queue?, nil):
      return .overflow(to: queue)
    case (nil, let texts?):
      var pairs: [(String, String)] = []
      for language in texts.object.keys {
        if let text = texts.nonEmptyString(language) { pairs.append((language, text)) }
      }
      texts.finish()
      if pairs.isEmpty {
        rule.context.issue(texts.path, "needs a text in at least one language")
        return nil
      }
      return .holdReply(HoldReplyText(pairs))
    case (nil, nil):
      rule.context.issue(rule.path, "expected \"overflow_to\" or \"hold_reply\"")
      return nil
    case (_?, _?):
      rule.context.issue(rule.path, "give either \"overflow_to\" or \"hold_reply\", not both")
      return nil
    }
  }
}
