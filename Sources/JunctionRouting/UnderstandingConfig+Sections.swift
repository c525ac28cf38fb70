import JunctionConfig
import JunctionModel

extension UnderstandingConfig {
  /// `complexity`: weights per signal, lists, thresholds; missing fields keep their defaults.
  static func readComplexity(_ object: ConfigObject) -> ComplexitySettings {
    var settings = ComplexitySettings()
    if let weights = object.object("weights") {
      for key in weights.object.keys where !key.hasPrefix("_") {
        guard let signal = ComplexitySignal(rawValue: key) else {
          let names = ComplexitySignal.allCases.map(\.rawValue).joined(separator: ", ")
          weights.context.issue(weights.path(key), "unknown signal (expected one of \(names))")
          weights.allow(key)
          continue
        }
        if let weight = weights.double(key, range: 0...10) { settings.weights[signal] = weight }
      }
      weights.finish()
    }
    settings.escalationWords = object.strings("escalation_words") ?? settings.escalationWords
    settings.repeatWindow = object.duration("repeat_window") ?? settings.repeatWindow
    settings.repeatsForFull =
      object.int("repeats_for_full", range: 1...1000) ?? settings.repeatsForFull
    settings.attachmentsForFull =
      object.int("attachments_for_full", range: 1...1000) ?? settings.attachmentsForFull
    settings.shortMessageWords =
      object.int("short_message_words", range: 0...10_000) ?? settings.shortMessageWords
    settings.longMessageWords =
      object.int("long_message_words", range: 1...10_000) ?? settings.longMessageWords
    if settings.longMessageWords <= settings.shortMessageWords {
      object.context.issue(
        object.path("long_message_words"), "must be greater than short_message_words")
    }
    settings.multipleSkillsMin =
      object.double("multiple_skills_min", range: 0...1) ?? settings.multipleSkillsMin
    settings.vipAttribute = object.nonEmptyString("vip_attribute") ?? settings.vipAttribute
    settings.atRiskAttribute =
      object.nonEmptyString("at_risk_attribute") ?? settings.atRiskAttribute
    if let channels = object.object("channels") {
      var values: [String: Double] = [:]
      for key in channels.object.keys where !key.hasPrefix("_") {
        if let value = channels.double(key, range: 0...1) { values[key] = value }
      }
      channels.finish()
      settings.channels = values
    }
    object.finish()
    return settings
  }

  /// `tiers`: ascending `below` bounds, the last tier without one.
  static func readTiers(_ items: [ConfigObject], path: String, context: ConfigContext)
    -> [ComplexityTier]
  {
    var tiers: [ComplexityTier] = []
    var seen: Set<String> = []
    for (index, item) in items.enumerated() {
      let id = item.nonEmptyString("id", required: true)
      let below = item.double("below", range: 0...1)
      let isLast = index == items.count - 1
      if isLast, item.has("below") {
        context.issue(item.path("below"), "the last tier takes every higher score and has no bound")
      } else if !isLast, below == nil, !item.has("below") {
        context.issue(item.path("below"), "is required on every tier but the last")
      }
      if let below, let previous = tiers.last?.below, below <= previous {
        context.issue(item.path("below"), "must be greater than the previous tier's (\(previous))")
      }
      item.finish()
      guard let id else { continue }
      if !seen.insert(id).inserted { context.issue(item.path("id"), "duplicate tier \"\(id)\"") }
      tiers.append(ComplexityTier(id: id, below: isLast ? nil : below))
    }
    if items.isEmpty { context.issue(path, "must list at least one tier") }
    return tiers.isEmpty ? ComplexityTier.defaults : tiers
  }

  /// `bot`: tier, threshold, timeout, phrase lists (a list, or lists by language), languages.
  static func readBot(_ object: ConfigObject, tiers: [ComplexityTier]) -> BotSettings {
    var bot = BotSettings()
    if let tier = object.nonEmptyString("tier") {
      if tiers.contains(where: { $0.id == tier }) {
        bot.tier = tier
      } else {
        let names = tiers.map { "\"\($0.id)\"" }.joined(separator: ", ")
        object.context.issue(object.path("tier"), "unknown tier \"\(tier)\" (tiers: \(names))")
      }
    }
    bot.confidenceThreshold =
      object.double("confidence_threshold", range: 0...1) ?? bot.confidenceThreshold
    bot.timeout = object.duration("timeout") ?? bot.timeout
    bot.defaultLanguage = object.nonEmptyString("default_language") ?? bot.defaultLanguage
    bot.minQuestionWords = object.int("min_question_words", range: 0...100) ?? bot.minQuestionWords
    bot.handoffPhrases = phrases(object, "handoff_phrases") ?? bot.handoffPhrases
    bot.negativeFeedbackPhrases =
      phrases(object, "negative_feedback_phrases") ?? bot.negativeFeedbackPhrases
    object.finish()
    return bot
  }

  /// A phrase list: `["a", "b"]` or `{"ru": ["а"], "en": ["a"]}` (languages merged).
  static func phrases(_ object: ConfigObject, _ key: String) -> [String]? {
    guard let value = object.raw(key) else { return nil }
    if case .object = value, let byLanguage = object.object(key) {
      var result: [String] = []
      for language in byLanguage.object.keys where !language.hasPrefix("_") {
        result += byLanguage.strings(language) ?? []
      }
      byLanguage.finish()
      return result
    }
    return object.strings(key)
  }

  /// Reads `faq.json`: `{"entries": [{"id", "skill", "questions": {lang: [...]}, "answers": {lang: "..."}}]}`.
  public mutating func readFAQ(_ json: JSON, context: ConfigContext) {
    let root = ConfigObject(json, path: "", context: context)
    let known = Set(skillIds)
    var seen: Set<String> = []
    for item in root.objects("entries", required: true) ?? [] {
      let id = item.nonEmptyString("id", required: true)
      let skill = item.nonEmptyString("skill")
      if let skill, !known.contains(skill) {
        context.issue(
          item.path("skill"), "unknown skill \"\(skill)\"\(Self.suggestion(skill, known))")
      }
      var questions: [String: [String]] = [:]
      if let object = item.object("questions", required: true) {
        for language in object.object.keys where !language.hasPrefix("_") {
          let list = object.strings(language) ?? []
          if list.isEmpty {
            context.issue(object.path(language), "must list at least one question")
          }
          questions[language] = list
        }
        object.finish()
        if questions.isEmpty {
          context.issue(item.path("questions"), "must have questions in at least one language")
        }
      }
      var answers: [String: String] = [:]
      if let object = item.object("answers", required: true) {
        for language in object.object.keys where !language.hasPrefix("_") {
          if let text = object.nonEmptyString(language) { answers[language] = text }
        }
        object.finish()
        if answers.isEmpty {
          context.issue(item.path("answers"), "must have an answer in at least one language")
        } else if answers[bot.defaultLanguage] == nil {
          context.warn(
            item.path("answers"),
            "no answer in the bot's default language \"\(bot.defaultLanguage)\"")
        }
      }
      item.finish()
      guard let id else { continue }
      if !seen.insert(id).inserted { context.issue(item.path("id"), "duplicate entry \"\(id)\"") }
      faq.append(FAQEntry(id: id, skill: skill, questions: questions, answers: answers))
    }
    root.finish()
  }
}
