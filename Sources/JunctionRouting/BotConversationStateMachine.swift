import JunctionModel

/// Why the bot handed a conversation to a human (`bot.handoff` event's `reason`).
public enum HandoffReason: String, Sendable, Equatable, CaseIterable {
  /// The customer asked for a person (`позовите оператора`, `agent`, `اپراتور`).
  case humanRequested = "human_requested"
  /// After an answer, the customer asked something the bot cannot answer.
  case unanswerableSecondQuestion = "unanswerable_second_question"
  /// The customer said the answer did not help.
  case negativeFeedback = "negative_feedback"
  /// The customer waited for the bot longer than the configured timeout.
  case timeout
  /// The first question was below the bot's confidence threshold.
  case lowConfidence = "low_confidence"
}

/// What the gateway should do after an event.
public enum BotAction: Sendable, Equatable {
  /// Send `text` (FAQ entry `entryId`, in `language`) through the conversation's channel and
  /// journal `bot.answered`.
  case answer(entryId: String, language: String, text: String)
  /// Put the conversation in the human queue now and journal `bot.handoff` with the reason.
  case handoff(HandoffReason)
}

/// The FAQ bot's handling of one conversation, as a value-type state machine: one method per
/// event, each returning the actions to perform. The gateway keeps one per conversation in the
/// bot tier, feeds it the customer's messages and calls ``timerFired(now:)`` at ``deadline``.
///
/// The bot answers a question that clears its confidence threshold, in the customer's language.
/// It hands over at once when the customer asks for a human, when a question after an answer
/// is one it cannot answer, when the customer reacts to an answer negatively, when a first
/// question is below its confidence, or when the customer has waited ``BotSettings/timeout``
/// (after a greeting too short to be a question, the bot waits for the question that far).
/// Once handed over it stays silent.
public struct BotConversationStateMachine: Sendable {
  /// Where the conversation stands.
  public enum State: Sendable, Equatable {
    /// No question answered yet.
    case listening
    /// The bot answered entry `entryId` and waits for what the customer says next.
    case answered(entryId: String)
    /// A human has it; the bot does nothing more.
    case handedOff(HandoffReason)
  }

  /// The current state.
  public private(set) var state: State = .listening
  /// When the customer started waiting for the bot without an answer; nil when not waiting.
  public private(set) var waitingSince: Timestamp?
  /// Answers given so far.
  public private(set) var answers = 0
  let bot: FAQBot

  /// A conversation new to the bot.
  public init(bot: FAQBot) { self.bot = bot }

  /// A conversation restored from what the journal says about it (after a restart).
  public init(bot: FAQBot, state: State, waitingSince: Timestamp?, answers: Int) {
    self.bot = bot
    self.state = state
    self.waitingSince = waitingSince
    self.answers = answers
  }

  /// When ``timerFired(now:)`` should be called, if at all.
  public var deadline: Timestamp? {
    guard let waitingSince, case .listening = state else { return nil }
    return waitingSince.adding(seconds: bot.settings.timeout)
  }

  /// A customer message arrived at `now`.
  public mutating func customerMessage(_ text: String, at now: Timestamp) -> [BotAction] {
    customerMessage(TextNormalizer().normalize(text), at: now)
  }

  /// A customer message (already normalised) arrived at `now`.
  public mutating func customerMessage(_ text: NormalizedText, at now: Timestamp) -> [BotAction] {
    if case .handedOff = state { return [] }
    if let deadline, now >= deadline { return handOff(.timeout) }
    if !bot.humanRequests(in: text).isEmpty { return handOff(.humanRequested) }
    let match = bot.answerableMatch(text)
    if case .answered(let previous) = state {
      if match == nil || match?.entryId == previous, bot.isNegativeFeedback(text) {
        return handOff(.negativeFeedback)
      }
      guard let match else { return handOff(.unanswerableSecondQuestion) }
      return answer(match)
    }
    if let match { return answer(match) }
    if text.tokens.count < bot.settings.minQuestionWords {
      if waitingSince == nil { waitingSince = now }
      return []
    }
    return handOff(.lowConfidence)
  }

  /// The timer set for ``deadline`` fired at `now`.
  public mutating func timerFired(now: Timestamp) -> [BotAction] {
    guard let deadline, now >= deadline else { return [] }
    return handOff(.timeout)
  }

  mutating func answer(_ match: FAQMatch) -> [BotAction] {
    state = .answered(entryId: match.entryId)
    waitingSince = nil
    answers += 1
    return [.answer(entryId: match.entryId, language: match.language, text: match.answer)]
  }

  mutating func handOff(_ reason: HandoffReason) -> [BotAction] {
    state = .handedOff(reason)
    waitingSince = nil
    return [.handoff(reason)]
  }
}
