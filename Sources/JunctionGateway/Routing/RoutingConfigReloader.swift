import Dispatch
import Foundation
import JunctionConfig
import JunctionModel
import JunctionSystem

/// Keeps the routing configuration current (issue 6, "checked like code"): `routing.json`,
/// `faq.json`, their examples and `tests/*.json` are reloaded on SIGHUP and when they change on
/// disk. A new configuration must load without a problem and pass its routing test cases;
/// otherwise it is refused — logged, counted in `/metrics` — and the previous one keeps serving.
/// Every configuration put in force is journaled as `config.applied` with a version number and
/// the digest of its files.
final class RoutingConfigReloader: @unchecked Sendable {
  let directory: ConfigDirectory
  let routing: RoutingService
  let writer: StateWriter
  let logger: Logger
  private let applied: Counter
  private let refused: Counter
  private let queue = DispatchQueue(label: "junction.config")
  private var timer: DispatchSourceTimer?
  private var lastSeen: String?

  init(
    directory: ConfigDirectory, routing: RoutingService, writer: StateWriter, logger: Logger,
    metrics: MetricsRegistry
  ) {
    self.directory = directory
    self.routing = routing
    self.writer = writer
    self.logger = logger
    applied = metrics.counter(
      "junction_config_applied_total", help: "Routing configurations put in force")
    refused = metrics.counter(
      "junction_config_refused_total", help: "Routing configuration reloads refused as invalid")
  }

  /// Journals the configuration in force if the journal has not seen it, and starts watching
  /// the files every `interval` seconds.
  func start(interval: Double = 2) {
    let current = routing.configuration
    lastSeen = fingerprint()
    journalIfNew(current)
    let source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + interval, repeating: .milliseconds(Int(interval * 1000)))
    source.setEventHandler { [weak self] in self?.checkFiles() }
    source.resume()
    timer = source
  }

  func stop() {
    timer?.cancel()
    timer = nil
  }

  /// SIGHUP: reload now, whatever the files look like.
  func reloadNow() {
    queue.async { [self] in reload(reason: "signal") }
  }

  /// Validates the files of `candidate` as they would be loaded; the problems, one per line
  /// (none: valid).
  static func problems(in candidate: ConfigDirectory) -> [String] {
    switch Result(catching: { () throws(ConfigError) in try RoutingConfiguration.load(candidate) })
    {
    case .failure(let error): return error.issues.map(\.description)
    case .success(let loaded):
      return RoutingTestCase.run(loaded.configuration.tests, configuration: loaded.configuration)
    }
  }

  private func checkFiles() {
    let seen = fingerprint()
    guard seen != lastSeen else { return }
    lastSeen = seen
    reload(reason: "files changed")
  }

  /// Sizes and modification times of the routing files: cheap to read every few seconds.
  private func fingerprint() -> String {
    var names = ["routing.json", "faq.json", "examples.csv"]
    if let tests = try? FileManager.default.contentsOfDirectory(atPath: directory.url("tests").path)
    {
      names += tests.sorted().map { "tests/\($0)" }
    }
    return names.map { name -> String in
      let attributes = try? FileManager.default.attributesOfItem(atPath: directory.url(name).path)
      let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
      let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      return "\(name):\(size):\(modified)"
    }.joined(separator: "|")
  }

  private func reload(reason: String) {
    let loaded: RoutingConfiguration
    switch Result(catching: { () throws(ConfigError) in try RoutingConfiguration.load(directory) })
    {
    case .failure(let error):
      refuse(error.issues.map(\.description), reason: reason)
      return
    case .success(let result):
      loaded = result.configuration
    }
    let failures = RoutingTestCase.run(loaded.tests, configuration: loaded)
    guard failures.isEmpty else {
      refuse(failures, reason: reason)
      return
    }
    guard loaded.digest != routing.configuration.digest else { return }
    routing.replace(loaded)
    journalIfNew(loaded)
    logger.info("Routing configuration reloaded.", ["reason": reason, "digest": loaded.digest])
  }

  private func refuse(_ problems: [String], reason: String) {
    refused.increment()
    logger.error(
      "Routing configuration refused; the previous one keeps serving.",
      ["reason": reason, "problems": problems.count])
    for problem in problems { logger.error("Configuration problem.", ["problem": problem]) }
  }

  private func journalIfNew(_ configuration: RoutingConfiguration) {
    let files = configuration.files
    let digest = configuration.digest
    writer.write({ state, now in
      var plan = WritePlan<Void>(outcome: ())
      guard state.configDigest != digest else { return .success(plan) }
      let stream = "config:routing"
      plan.require(stream, in: state)
      let version = state.configVersion + 1
      plan.events.append(
        PlannedEvent(
          EventType.configApplied, at: now, streams: [stream],
          change: .configApplied(version: version, digest: digest),
          json: [
            "version": .int(Int64(version)), "digest": .string(digest),
            "files": .object(
              JSONObject(files.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
          ]))
      return .success(plan)
    }) { [self] result in
      switch result {
      case .success: applied.increment()
      case .failure(let failure):
        logger.warning("Could not journal config.applied.", ["error": failure])
      }
    }
  }
}
