import Foundation
import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionModel
import JunctionRouting

/// The router's whole configuration: `routing.json` (both halves: understanding and queueing),
/// its example CSV, `faq.json` and the routing test cases of `tests/*.json`, checked and
/// trained. Immutable; a reload builds a new one and swaps it in.
public struct RoutingConfiguration: Sendable {
  public let understanding: Understanding
  public let queueing: QueueingConfig
  /// Routing test cases admins keep beside the config.
  public let tests: [RoutingTestCase]
  /// SHA-256 of each file read, by name.
  public let files: [String: String]
  /// One digest of every file read (changes when any does).
  public let digest: String

  /// Everything lands in the queue `general` with skill `general`.
  public static func empty() -> RoutingConfiguration {
    RoutingConfiguration(
      understanding: Understanding(config: UnderstandingConfig()), queueing: .default, tests: [],
      files: [:], digest: Hex.encode(SHA256.hash([UInt8]())))
  }

  init(
    understanding: Understanding, queueing: QueueingConfig, tests: [RoutingTestCase],
    files: [String: String], digest: String
  ) {
    self.understanding = understanding
    self.queueing = queueing
    self.tests = tests
    self.files = files
    self.digest = digest
  }

  /// Reads, checks and trains from `directory`. Every problem is reported, each with its file
  /// and JSON path; warnings do not stop the load.
  public static func load(_ directory: ConfigDirectory) throws(ConfigError) -> (
    configuration: RoutingConfiguration, warnings: [ConfigIssue]
  ) {
    let (config, readIssues, readWarnings) = UnderstandingConfig.read(directory)
    var issues = readIssues
    var warnings = readWarnings
    var queueing = QueueingConfig.default
    var exampleFiles: [String] = []
    let kinds = Set(ChannelKind.allCases.map(\.rawValue))
    // The queueing half reads the same file. The understanding half already reported syntax
    // errors and unknown keys, so this pass reads quietly except for its own keys' problems.
    if directory.exists("routing.json"),
      let json = directory.json("routing.json", context: ConfigContext(file: "routing.json"))
    {
      let context = ConfigContext(file: "routing.json")
      let root = ConfigObject(json, path: "", context: context)
      queueing = QueueingConfig.parse(
        root, skills: Set(config.skillIds), tiers: config.tiers.map(\.id), channelKinds: kinds)
      if let file = json["examples"]?.stringValue { exampleFiles.append(file) }
      issues += context.issues
      warnings += context.warnings
    }
    let (tests, testIssues) = RoutingTestCase.readAll(directory)
    issues += testIssues
    guard issues.isEmpty else { throw ConfigError(issues) }
    let names = ["routing.json", "faq.json"] + exampleFiles + tests.map(\.file)
    var files: [String: String] = [:]
    var all = SHA256()
    for name in Set(names).sorted() {
      guard let bytes = FileManager.default.contents(atPath: directory.url(name).path) else {
        continue
      }
      let digest = Hex.encode(SHA256.hash([UInt8](bytes)))
      files[name] = digest
      all.update(Array("\(name)\u{0}\(digest)\u{0}".utf8))
    }
    let configuration = RoutingConfiguration(
      understanding: Understanding(config: config), queueing: queueing, tests: tests,
      files: files, digest: Hex.encode(all.finalize()))
    return (configuration, warnings)
  }

  /// Every queue id configured (for transfers and claims).
  public var queueIds: Set<String> { Set(queueing.queues.map(\.id)) }
}
