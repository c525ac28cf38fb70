import Foundation
import JunctionConfig
import Testing

@testable import JunctionRouting

/// Writes `files` into a fresh directory and reads the understanding config from it.
func readConfig(_ files: [String: String]) throws -> (
  config: UnderstandingConfig, issues: [String], warnings: [String]
) {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("routing-config-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: path) }
  for (name, text) in files {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
  }
  let (config, issues, warnings) = UnderstandingConfig.read(
    ConfigDirectory(path: path, environment: [:]))
  return (config, issues.map(\.description), warnings.map(\.description))
}

@Suite struct UnderstandingConfigTests {
  @Test func onlyAnExamplesFileIsValid() throws {
    let (config, issues, _) = try readConfig([
      "routing.json": #"{"examples": "cases.csv"}"#,
      "cases.csv": "text,skill\n\"Hello, world\",greeting\nwhere is my parcel,delivery\n",
    ])
    #expect(issues == [])
    #expect(config.skillIds == ["delivery", "general", "greeting"])
    #expect(config.examples.first == LabelledText(text: "Hello, world", label: "greeting"))
    #expect(config.tiers == ComplexityTier.defaults)
  }

  @Test func noFilesMeansOneGeneralSkill() throws {
    let (config, issues, _) = try readConfig([:])
    #expect(issues == [])
    #expect(config.skillIds == ["general"])
  }

  @Test func inlineAndCSVSkillsCombine() throws {
    let (config, issues, _) = try readConfig([
      "routing.json": #"""
      {"skills": [{"id": "billing", "examples": ["invoice please"], "keywords": ["invoice"]}],
       "examples": "more.csv", "rules": [{"keywords": ["refund"], "skill": "returns"}],
       "queues": [{"id": "anything"}], "sla": {"chat": "2m"}, "filters": [], "calendars": {},
       "priority": {}, "agents": []}
      """#,
      "more.csv": "\u{FEFF}text,skill\r\nI want a refund,returns\r\n",
    ])
    #expect(issues == [])
    #expect(config.skillIds == ["billing", "general", "returns"])
    #expect(config.rules == [KeywordRule(keywords: ["refund"], skill: "returns")])
  }

  @Test func unknownKeysWrongTypesAndUnknownSkillsNameFileAndPath() throws {
    let (_, issues, _) = try readConfig([
      "routing.json": #"""
      {"skills": [{"id": "billing", "examples": "oops", "colour": "red"}],
       "classifier": {"confidence_threshold": 2},
       "rules": [{"keywords": ["refund"], "skill": "biling"}],
       "complexity": {"weights": {"loudness": 1, "vip": "high"}, "repeat_window": "soon"},
       "tiers": [{"id": "bot", "below": 0.5}, {"id": "L1", "below": 0.4}, {"id": "L2", "below": 0.9}],
       "bot": {"tier": "robot", "timeout": "forever"},
       "mystery": true}
      """#
    ])
    #expect(
      issues == [
        "routing.json: skills[0].examples: expected an array, found string",
        "routing.json: skills[0].colour: unknown key",
        "routing.json: classifier.confidence_threshold: must be between 0.0 and 1.0, found 2.0",
        "routing.json: rules[0].skill: unknown skill \"biling\" (did you mean \"billing\"?)",
        "routing.json: complexity.weights.loudness: unknown signal (expected one of uncertainty, length, multiple_skills, attachments, repeat_contact, escalation, vip, at_risk, channel)",
        "routing.json: complexity.weights.vip: expected a number, found string",
        "routing.json: complexity.repeat_window: expected a duration such as \"30s\", \"5m\", \"2h\" or seconds",
        "routing.json: tiers[1].below: must be greater than the previous tier's (0.5)",
        "routing.json: tiers[2].below: the last tier takes every higher score and has no bound",
        "routing.json: bot.tier: unknown tier \"robot\" (tiers: \"bot\", \"L1\", \"L2\")",
        "routing.json: bot.timeout: expected a duration such as \"30s\", \"5m\", \"2h\" or seconds",
        "routing.json: mystery: unknown key",
      ])
  }

  @Test func badCSVLinesAreNamed() throws {
    let cases: [(String, String)] = [
      (
        "text,skill\nok,billing\n\"unterminated,billing\n",
        "cases.csv: line 3: quoted field not closed"
      ),
      (
        "text,skill\nok,billing\nthree,fields,here\n",
        "cases.csv: line 3: expected 2 fields, found 3"
      ),
      (
        "message,label\nok,billing\n",
        "cases.csv: line 1: header must name columns \"text\" and \"skill\", found \"message,label\""
      ),
      (
        "text,skill\n\"a \"quoted\" word\",billing\n",
        "cases.csv: line 2: text after a closing quote"
      ),
      ("text,skill\nok,\n", "cases.csv: line 2: empty skill"),
    ]
    for (csv, expected) in cases {
      let (_, issues, _) = try readConfig([
        "routing.json": #"{"examples": "cases.csv"}"#, "cases.csv": csv,
      ])
      #expect(issues == [expected])
    }
    let (_, missing, _) = try readConfig(["routing.json": #"{"examples": "nope.csv"}"#])
    #expect(
      missing.count == 1
        && missing[0].hasPrefix("routing.json: examples: file \"nope.csv\" not found"))
  }

  @Test func faqIsCheckedStrictly() throws {
    let (config, issues, warnings) = try readConfig([
      "routing.json": #"{"skills": [{"id": "delivery", "examples": ["where is my parcel"]}]}"#,
      "faq.json": #"""
      {"entries": [
        {"id": "a", "skill": "delivry", "questions": {"en": ["q"]}, "answers": {"en": "yes"}},
        {"id": "a", "questions": {"ru": []}, "answers": {}, "extra": 1},
        {"id": "b", "questions": {"ru": ["вопрос"]}, "answers": {"ru": "ответ"}}
      ]}
      """#,
    ])
    #expect(
      issues == [
        "faq.json: entries[0].skill: unknown skill \"delivry\" (did you mean \"delivery\"?)",
        "faq.json: entries[1].questions.ru: must list at least one question",
        "faq.json: entries[1].answers: must have an answer in at least one language",
        "faq.json: entries[1].extra: unknown key",
        "faq.json: entries[1].id: duplicate entry \"a\"",
      ])
    #expect(
      warnings == ["faq.json: entries[0].answers: no answer in the bot's default language \"ru\""])
    #expect(config.faq.map(\.id) == ["a", "a", "b"])
  }

  @Test func botPhrasesByLanguageAreMerged() throws {
    let (config, issues, _) = try readConfig([
      "routing.json": #"""
      {"tiers": [{"id": "bot", "below": 0.3}, {"id": "L1"}],
       "bot": {"handoff_phrases": {"ru": ["оператор"], "en": ["agent"]},
               "negative_feedback_phrases": ["nope"], "timeout": "90s", "confidence_threshold": 0.7}}
      """#
    ])
    #expect(issues == [])
    #expect(config.bot.handoffPhrases == ["оператор", "agent"])
    #expect(config.bot.negativeFeedbackPhrases == ["nope"])
    #expect(config.bot.timeout == 90)
    #expect(config.bot.confidenceThreshold == 0.7)
  }

  @Test func invalidJSONIsReportedWithItsPosition() throws {
    let (_, issues, _) = try readConfig(["routing.json": "{\"skills\": [}"])
    #expect(issues.count == 1 && issues[0].hasPrefix("routing.json: invalid JSON at line 1"))
  }
}
