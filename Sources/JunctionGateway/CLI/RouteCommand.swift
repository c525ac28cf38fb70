import Foundation
import JunctionConfig
import JunctionModel
import JunctionRouting

/// `junction route --config DIR [--channel KIND] [--contact JSON] [--language L] [--at TIME]
/// "text"` shows the routing decision for a hypothetical message, stores nothing;
/// `junction route eval --config DIR CASES.csv` measures the skill classifier on labelled rows.
enum RouteCommand {
  static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
    if arguments.first == "eval" { return try eval(Array(arguments.dropFirst()), environment) }
    let parsed = try CommandLineArguments(
      arguments, valued: ["config", "channel", "contact", "language", "at"])
    guard parsed.positional.count == 1, let text = parsed.positional.first else {
      throw UsageError("route takes one message text (quote it)")
    }
    let configuration = try load(parsed.options["config"] ?? "config", environment)
    let facts = try RoutePreviewRequest.facts(
      text: text, channel: parsed.options["channel"], contact: parsed.options["contact"],
      language: parsed.options["language"], at: parsed.options["at"])
    let decision = RoutingDecider.decide(facts, configuration: configuration)
    print(RoutePreviewRequest.summary(decision))
    print(decision.json.prettyPrinted())
    return 0
  }

  static func eval(_ arguments: [String], _ environment: [String: String]) throws -> Int32 {
    let parsed = try CommandLineArguments(arguments, valued: ["config"])
    guard parsed.positional.count == 1, let file = parsed.positional.first else {
      throw UsageError("route eval takes one CSV file (columns text,skill)")
    }
    let configuration = try load(parsed.options["config"] ?? "config", environment)
    guard let data = FileManager.default.contents(atPath: file) else {
      throw UsageError("cannot read \(file)")
    }
    let rows = try LabelledCSV.parse([UInt8](data))
    let understanding = configuration.understanding
    let started = Date()
    let predictions = rows.map { understanding.prediction($0.text) }
    let seconds = Date().timeIntervalSince(started) / Double(max(1, rows.count))
    let evaluation = understanding.evaluate(
      rows, predictions: predictions, secondsPerMessage: seconds)
    print(evaluation.report(threshold: understanding.config.confidenceThreshold))
    return 0
  }

  static func load(_ path: String, _ environment: [String: String]) throws -> RoutingConfiguration {
    switch Result(catching: { () throws(ConfigError) in
      try RoutingConfiguration.load(ConfigDirectory(path: path, environment: environment))
    }) {
    case .success(let loaded): return loaded.configuration
    case .failure(let error): throw error
    }
  }
}
