/// The FAQ bot's best entry for a message.
public struct FAQMatch: Sendable, Equatable {
  /// The entry's id.
  public var entryId: String
  /// Cosine similarity in [0, 1] between the message and the entry's closest example question.
  public var confidence: Double
  /// The language of ``answer``: the customer's when the entry has it, else the default.
  public var language: String
  /// The answer text.
  public var answer: String
  /// The example question that matched best.
  public var question: String
}

/// Finds the FAQ entry a message asks about: a retrieval model over the entries' example
/// questions (word and character n-grams, misspellings corrected against the questions'
/// vocabulary), scoring an entry by the cosine similarity of its closest question. Unlike a
/// classifier's probability, similarity does not rise for a message that resembles no entry,
/// so the confidence threshold keeps the bot quiet about things it does not know.
public struct FAQBot: Sendable {
  /// The entries, in file order.
  public let entries: [FAQEntry]
  /// Threshold, phrases, languages.
  public let settings: BotSettings
  let normalizer = TextNormalizer()
  let corrector: SpellingCorrector
  let space: FeatureSpace?
  /// Each example question's vector, entry index and text.
  let questions: [(vector: SparseVector, entry: Int, text: String)]
  let handoff: PhraseMatcher
  let negative: PhraseMatcher

  /// Indexes `entries`; `corpus` (the skill examples, normalised) adds words to correct
  /// against and steadies the word weights (a word common in every skill weighs little).
  public init(entries: [FAQEntry], settings: BotSettings = BotSettings(), corpus: [[String]] = []) {
    self.entries = entries
    self.settings = settings
    handoff = PhraseMatcher(settings.handoffPhrases)
    negative = PhraseMatcher(settings.negativeFeedbackPhrases)
    var texts: [(tokens: [String], entry: Int, text: String)] = []
    for (index, entry) in entries.enumerated() {
      for language in entry.questions.keys.sorted() {
        for question in entry.questions[language] ?? [] {
          texts.append((normalizer.normalize(question).tokens, index, question))
        }
      }
    }
    corrector = SpellingCorrector(words: texts.flatMap(\.tokens) + corpus.joined())
    guard !texts.isEmpty else {
      space = nil
      questions = []
      return
    }
    let documents = texts.map { $0.tokens.map { Array($0.unicodeScalars) } }
    let space = FeatureSpace(
      documents: documents + corpus.map { $0.map { Array($0.unicodeScalars) } },
      extractor: NGramFeatures(minCharGram: 2, maxCharGram: 5),
      wordWeight: 1, charWeight: 1, pairWeight: 0)
    self.space = space
    questions = zip(documents, texts).map { (space.vector($0), $1.entry, $1.text) }
  }

  /// The best entry for `text` whatever its confidence, or nil without entries.
  public func bestMatch(_ text: NormalizedText) -> FAQMatch? {
    guard let space else { return nil }
    let words = text.tokens.map { Array(corrector.correct($0).unicodeScalars) }
    let vector = space.vector(words)
    let norm = vector.squaredNorm.squareRoot()
    guard norm > 0 else { return nil }
    var best: (score: Float, index: Int)? = nil
    for (index, question) in questions.enumerated() {
      let denominator = norm * question.vector.squaredNorm.squareRoot()
      guard denominator > 0 else { continue }
      let score = vector.dot(question.vector) / denominator
      if best.map({ score > $0.score }) ?? true { best = (score, index) }
    }
    guard let best else { return nil }
    let question = questions[best.index]
    let entry = entries[question.entry]
    let (language, answer) = answer(of: entry, for: text.language)
    return FAQMatch(
      entryId: entry.id, confidence: Double(min(max(best.score, 0), 1)), language: language,
      answer: answer, question: question.text)
  }

  /// The best entry when it reaches the confidence threshold.
  public func answerableMatch(_ text: NormalizedText) -> FAQMatch? {
    guard let match = bestMatch(text), match.confidence >= settings.confidenceThreshold else {
      return nil
    }
    return match
  }

  /// The handoff phrases found in `text` (a request for a human).
  public func humanRequests(in text: NormalizedText) -> [String] { handoff.matches(in: text) }

  /// Whether `text` is negative feedback on an answer.
  public func isNegativeFeedback(_ text: NormalizedText) -> Bool { negative.matchesAny(text) }

  /// The answer in `language` when the entry has one, else in the default language, else the
  /// first language the entry has.
  func answer(of entry: FAQEntry, for language: String?) -> (String, String) {
    if let language, let text = entry.answers[language] { return (language, text) }
    if let text = entry.answers[settings.defaultLanguage] {
      return (settings.defaultLanguage, text)
    }
    if let first = entry.answers.keys.sorted().first, let text = entry.answers[first] {
      return (first, text)
    }
    return (settings.defaultLanguage, "")
  }
}
