import Foundation
import JunctionConfig
import JunctionModel
import JunctionRouting

/// Helpers shared by the queueing tests: explicit timestamps (the manual clock), config parsing
/// and a seeded random generator.
enum QueueingFixtures {
  /// The instant of an RFC 3339 text (`2026-03-27T15:00:00Z`, `2026-03-27T16:00:00+01:00`).
  static func at(_ text: String) -> Timestamp {
    Timestamp(RFC3339.parse(text)!)
  }

  /// The keys the understanding half reads; marked known so `finish()` leaves them alone.
  static let understandingKeys = [
    "skills", "examples", "classifier", "rules", "complexity", "tiers", "bot",
  ]

  static let skills: Set<String> = ["billing", "delivery", "returns", "technical", "sales"]
  static let tiers = ["bot", "l1", "l2", "l3"]
  static let channelKinds: Set<String> = ["chat", "sms", "email", "api"]

  /// Parses `routing.json` text; returns the config and every issue and warning as printed.
  static func parse(_ text: String) -> (
    config: QueueingConfig, issues: [String], warnings: [String]
  ) {
    let context = ConfigContext(file: "routing.json")
    let json = ConfigDirectory.parse(Array(text.utf8), context: context, environment: [:])
    let root = ConfigObject(json ?? .object(JSONObject()), path: "", context: context)
    let config = QueueingConfig.parse(
      root, skills: skills, tiers: tiers, channelKinds: channelKinds)
    for key in understandingKeys { root.allow(key) }
    root.finish()
    return (
      config, context.issues.map(\.description), context.warnings.map(\.description)
    )
  }

  /// Parses text that must be valid.
  static func valid(_ text: String) -> QueueingConfig {
    let (config, issues, _) = parse(text)
    precondition(issues.isEmpty, "unexpected issues: \(issues)")
    return config
  }

  /// A calendar from hours JSON, for calendar tests.
  static func calendar(
    _ zone: String, _ hours: String, holidays: String = "[]"
  ) -> BusinessCalendar {
    let config = valid(
      """
      {"calendars": [{"id": "c", "time_zone": "\(zone)", "hours": \(hours),
                      "holidays": \(holidays)}]}
      """)
    return config.workflow.calendars["c"]!
  }
}

/// SplitMix64: a small seeded generator, so randomized tests are repeatable.
struct QueueingRandom: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
