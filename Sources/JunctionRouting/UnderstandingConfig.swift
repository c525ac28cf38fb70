import JunctionConfig
import JunctionModel

/// A keyword rule of `routing.json`: any of `keywords` in a message sets its skill.
public struct KeywordRule: Sendable, Equatable {
  /// Phrases matched typo-tolerantly (``PhraseMatcher``).
  public var keywords: [String]
  /// The skill the rule sets.
  public var skill: String

  /// Creates a rule.
  public init(keywords: [String], skill: String) {
    self.keywords = keywords
    self.skill = skill
  }
}

/// A skill declared in `routing.json`.
public struct SkillDefinition: Sendable, Equatable {
  /// The skill id (`billing`).
  public var id: String
  /// What the skill covers, for people.
  public var description: String?
  /// Inline example messages.
  public var examples: [String]
  /// Keywords that choose this skill over the classifier.
  public var keywords: [String]

  /// Creates a skill.
  public init(
    id: String, description: String? = nil, examples: [String] = [], keywords: [String] = []
  ) {
    self.id = id
    self.description = description
    self.examples = examples
    self.keywords = keywords
  }
}

/// The message-understanding parts of `routing.json` (skills, examples, classifier, rules,
/// complexity, tiers, bot) and `faq.json`, checked; see `ROUTING-CONFIG.md`.
public struct UnderstandingConfig: Sendable, Equatable {
  /// Skills declared inline, in file order.
  public var skills: [SkillDefinition] = []
  /// Labelled examples: inline ones first, then the CSV file's.
  public var examples: [LabelledText] = []
  /// Below this top probability the skill is ``fallbackSkill``.
  public var confidenceThreshold = 0.4
  /// The skill of messages the classifier is unsure about.
  public var fallbackSkill = "general"
  /// Keyword rules, first match wins.
  public var rules: [KeywordRule] = []
  /// Complexity weights and lists.
  public var complexity = ComplexitySettings()
  /// Complexity tiers in order.
  public var tiers = ComplexityTier.defaults
  /// The FAQ bot's settings.
  public var bot = BotSettings()
  /// The FAQ entries of `faq.json`.
  public var faq: [FAQEntry] = []

  /// Nothing configured: one skill, `general`.
  public init() {}

  /// Every skill id: declared, in the examples, and the fallback; sorted.
  public var skillIds: [String] {
    Array(Set(skills.map(\.id) + examples.map(\.label) + [fallbackSkill])).sorted()
  }

  /// Reads `routing.json` (and the CSV it names) and `faq.json` from `directory`; both files
  /// are optional. Returns the config with the problems found (errors) and warnings.
  public static func read(_ directory: ConfigDirectory) -> (
    config: UnderstandingConfig, issues: [ConfigIssue], warnings: [ConfigIssue]
  ) {
    var config = UnderstandingConfig()
    var issues: [ConfigIssue] = []
    var warnings: [ConfigIssue] = []
    let routing = ConfigContext(file: "routing.json")
    if directory.exists("routing.json"), let json = directory.json("routing.json", context: routing)
    {
      config.readRouting(json, context: routing, directory: directory)
    }
    let faq = ConfigContext(file: "faq.json")
    if directory.exists("faq.json"), let json = directory.json("faq.json", context: faq) {
      config.readFAQ(json, context: faq)
    }
    for context in [routing, faq] {
      issues += context.issues
      warnings += context.warnings
    }
    return (config, issues, warnings)
  }

  /// Reads the parts of a parsed `routing.json` this module owns; problems go to `context`,
  /// and the CSV file's to a context of its own, absorbed into `context`.
  public mutating func readRouting(
    _ json: JSON, context: ConfigContext, directory: ConfigDirectory?
  ) {
    let root = ConfigObject(json, path: "", context: context)
    // Queues, filters, calendars, SLAs, priorities and agents belong to the queue config
    // parser (issue 6), which reads the same file.
    root.allow("queues", "filters", "calendars", "sla", "priority", "agents")
    var seen: Set<String> = []
    for skill in root.objects("skills") ?? [] {
      guard let id = skill.nonEmptyString("id", required: true) else {
        skill.allow("description", "examples", "keywords")
        continue
      }
      if !Self.isValidId(id) {
        context.issue(
          skill.path("id"),
          "must be letters, digits, '-', '_' or '.', starting with a letter or digit")
      }
      if !seen.insert(id).inserted { context.issue(skill.path("id"), "duplicate skill \"\(id)\"") }
      let definition = SkillDefinition(
        id: id, description: skill.string("description"), examples: skill.strings("examples") ?? [],
        keywords: skill.strings("keywords") ?? [])
      skill.finish()
      skills.append(definition)
      examples += definition.examples.map { LabelledText(text: $0, label: id) }
    }
    if let file = root.nonEmptyString("examples") {
      readCSV(file, path: root.path("examples"), context: context, directory: directory)
    }
    if let classifier = root.object("classifier") {
      confidenceThreshold =
        classifier.double("confidence_threshold", range: 0...1) ?? confidenceThreshold
      fallbackSkill = classifier.nonEmptyString("fallback_skill") ?? fallbackSkill
      classifier.finish()
    }
    let known = Set(skillIds)
    for rule in root.objects("rules") ?? [] {
      let keywords = rule.strings("keywords", required: true) ?? []
      if rule.has("keywords"), keywords.isEmpty {
        context.issue(rule.path("keywords"), "must not be empty")
      }
      if let skill = rule.nonEmptyString("skill", required: true) {
        if known.contains(skill) {
          rules.append(KeywordRule(keywords: keywords, skill: skill))
        } else {
          context.issue(
            rule.path("skill"), "unknown skill \"\(skill)\"\(Self.suggestion(skill, known))")
        }
      }
      rule.finish()
    }
    if let object = root.object("complexity") { complexity = Self.readComplexity(object) }
    if let items = root.objects("tiers") {
      tiers = Self.readTiers(items, path: root.path("tiers"), context: context)
    }
    if let object = root.object("bot") { bot = Self.readBot(object, tiers: tiers) }
    root.finish()
    for skill in skills
    where skill.examples.isEmpty && !examples.contains(where: { $0.label == skill.id })
      && skill.id != fallbackSkill
    {
      context.warn("skills", "skill \"\(skill.id)\" has no examples; only keywords can choose it")
    }
  }

  mutating func readCSV(
    _ file: String, path: String, context: ConfigContext, directory: ConfigDirectory?
  ) {
    guard let directory else {
      context.issue(path, "example files cannot be read here")
      return
    }
    let csv = ConfigContext(file: file)
    guard directory.exists(file) else {
      context.issue(path, "file \"\(file)\" not found in \(directory.path)")
      return
    }
    if let bytes = directory.bytes(file, context: csv) {
      do {
        examples += try LabelledCSV.parse(bytes)
      } catch {
        if case .csv(let line, let message) = error { csv.issue("line \(line)", message) }
      }
    }
    context.absorb(csv)
  }

  /// Ids are what admins type in rules and queues: letters, digits, `-`, `_`, `.`.
  static func isValidId(_ id: String) -> Bool {
    guard let first = id.unicodeScalars.first,
      first.properties.isAlphabetic || ("0"..."9").contains(first)
    else {
      return false
    }
    return id.count <= 64
      && id.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
      }
  }

  /// `(did you mean "billing"?)` when a known id is one edit away.
  static func suggestion(_ id: String, _ known: Set<String>) -> String {
    let scalars = Array(id.unicodeScalars)
    guard
      let close = known.sorted().first(where: {
        SpellingCorrector.withinOneEdit(scalars, Array($0.unicodeScalars))
      })
    else { return "" }
    return " (did you mean \"\(close)\"?)"
  }
}
