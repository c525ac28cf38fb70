/// The `bot` part of `routing.json`: when the FAQ bot answers and when it hands over.
public struct BotSettings: Sendable, Equatable {
  /// The complexity tier whose conversations the bot takes.
  public var tier = "bot"
  /// The bot answers only when its best FAQ entry reaches this confidence.
  public var confidenceThreshold = 0.5
  /// A customer waiting this long (seconds) for the bot hands over (`timeout`).
  public var timeout: Double = 180
  /// Language of the answer when the customer's language has none.
  public var defaultLanguage = "ru"
  /// A message with fewer words the bot cannot answer (a greeting) makes it wait for the
  /// question instead of handing over.
  public var minQuestionWords = 3
  /// Requests for a human; any match hands over at once.
  public var handoffPhrases: [String] = [
    "оператор", "оператора", "человек", "живой", "живого", "позовите оператора",
    "соедините с оператором", "менеджер", "сотрудник", "human", "agent", "operator",
    "real person", "talk to a person", "speak to someone", "representative", "اپراتور", "انسان",
    "پشتیبان",
  ]
  /// Negative feedback on an answer; a match right after an answer hands over.
  public var negativeFeedbackPhrases: [String] = [
    "не помогло", "не помог", "нет", "не то", "бесполезно", "не понял", "не ответили",
    "not helpful", "didn't help", "did not help", "no", "useless", "wrong answer",
    "that's not it", "نه", "کمک نکرد", "مفید نبود",
  ]

  /// The defaults.
  public init() {}
}

/// One `faq.json` entry: example questions and an answer per language.
public struct FAQEntry: Sendable, Equatable {
  /// Unique id (`delivery_time`).
  public var id: String
  /// The skill the entry belongs to, if given.
  public var skill: String?
  /// Example questions by language code.
  public var questions: [String: [String]]
  /// The answer by language code.
  public var answers: [String: String]

  /// Creates an entry.
  public init(
    id: String, skill: String? = nil, questions: [String: [String]], answers: [String: String]
  ) {
    self.id = id
    self.skill = skill
    self.questions = questions
    self.answers = answers
  }
}
