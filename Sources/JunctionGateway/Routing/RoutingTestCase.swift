import Foundation
import JunctionConfig
import JunctionModel

/// A routing test case kept beside the config (`tests/*.json`), run by `junction check-config`:
///
/// ```json
/// {"cases": [{"name": "Kazan delivery question", "message": "сколько стоит доставка в Казань?",
///             "channel": "chat", "contact": {"vip": false}, "at": "2026-11-24T10:00:00+03:00",
///             "expect": {"skill": "delivery", "tier": "bot", "queue": "bot", "priority": 0}}]}
/// ```
public struct RoutingTestCase: Sendable {
  /// The file it came from (`tests/shop.json`) and its JSON path.
  public var file: String
  public var path: String
  public var name: String
  public var facts: RoutingFacts
  public var expectedSkill: String?
  public var expectedTier: String?
  public var expectedQueue: String?
  public var expectedPriority: Int?
  public var expectedBot: Bool?

  /// Reads every `tests/*.json` of `directory`.
  static func readAll(_ directory: ConfigDirectory) -> ([RoutingTestCase], [ConfigIssue]) {
    let folder = directory.url("tests").path
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      return ([], [])
    }
    var cases: [RoutingTestCase] = []
    var issues: [ConfigIssue] = []
    for name in names.sorted() where name.hasSuffix(".json") {
      let file = "tests/\(name)"
      let context = ConfigContext(file: file)
      if let json = directory.json(file, context: context) {
        let root = ConfigObject(json, path: "", context: context)
        for entry in root.objects("cases", required: true) ?? [] {
          if let item = RoutingTestCase(entry, file: file) { cases.append(item) }
        }
        root.finish()
      }
      issues += context.issues
    }
    return (cases, issues)
  }

  init?(_ entry: ConfigObject, file: String) {
    self.file = file
    path = entry.path
    name = entry.nonEmptyString("name") ?? entry.path
    let message = entry.string("message", required: true)
    let channel = entry.string("channel", allowed: ["chat", "sms", "email", "api"]) ?? "chat"
    var time = Timestamp.now()
    if let at = entry.string("at") {
      if let date = RFC3339.parse(at) {
        time = Timestamp(date)
      } else {
        entry.context.issue(entry.path("at"), "expected an RFC 3339 time")
      }
    }
    let contact = entry.object("contact")
    contact?.allow(contentsOf: contact?.object.keys ?? [])
    facts = RoutingFacts(
      text: message ?? "", attachments: entry.int("attachments", range: 0...100) ?? 0,
      channelKind: channel, language: entry.string("language"),
      contact: contact?.object ?? JSONObject(),
      recentConversations: entry.int("recent_conversations", range: 0...10_000) ?? 0, time: time)
    let expect = entry.object("expect", required: true)
    expectedSkill = expect?.string("skill")
    expectedTier = expect?.string("tier")
    expectedQueue = expect?.string("queue")
    expectedPriority = expect?.int("priority")
    expectedBot = expect?.bool("bot")
    expect?.finish()
    entry.finish()
    if let expect, expect.object.isEmpty {
      entry.context.issue(entry.path("expect"), "expects nothing")
    }
    guard message != nil, expect != nil else { return nil }
  }

  /// Where the decision differs from what the case expects: one line each.
  public func mismatches(_ decision: RoutingDecision) -> [String] {
    var problems: [String] = []
    func check<T: Equatable>(_ what: String, _ expected: T?, _ actual: T) {
      if let expected, expected != actual {
        problems.append(
          "\(file): \(path) (\(name)): expected \(what) \"\(expected)\", got \"\(actual)\"")
      }
    }
    check("skill", expectedSkill, decision.skill)
    check("tier", expectedTier, decision.tier)
    check("queue", expectedQueue, decision.queue)
    check("priority", expectedPriority, decision.priority.total)
    check("bot", expectedBot, decision.bot)
    return problems
  }

  /// Runs every case against `configuration`; the problems, one line each.
  public static func run(_ cases: [RoutingTestCase], configuration: RoutingConfiguration)
    -> [String]
  {
    cases.flatMap { item in
      item.mismatches(RoutingDecider.decide(item.facts, configuration: configuration))
    }
  }
}
