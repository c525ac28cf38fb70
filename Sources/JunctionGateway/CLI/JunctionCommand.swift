import Foundation
import JunctionConfig
import JunctionSystem

/// The `junction` command line (DESIGN.md "Public contract").
public enum JunctionCommand {
  public static let usage = """
    usage: junction <command> [options]

    commands:
      serve [--config DIR] [--data DIR] [--listen HOST:PORT]
                          run the gateway (defaults: config, data, the listen address of
                          gateway.json, else 127.0.0.1:8080); SIGTERM stops it gracefully
      check-config [DIR]  check a config directory (default: config) and run its routing
                          test cases (tests/*.json); prints one line per problem and exits 1
                          when there is any
      route [--config DIR] [--channel chat|sms|email|api] [--contact JSON] [--language L]
            [--at RFC3339] "text"
                          explain the routing decision for a message; stores nothing
      route eval [--config DIR] CASES.csv
                          classify every row of a labelled CSV (text,skill) and report accuracy
      version             print the version
    """

  public static let version = "0.1.0"

  /// Runs the command line and returns the process exit status.
  public static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
    guard let command = arguments.first else {
      print(usage)
      return 2
    }
    let rest = Array(arguments.dropFirst())
    do {
      switch command {
      case "serve": return try serve(rest, environment: environment)
      case "check-config": return try checkConfig(rest, environment: environment)
      case "route": return try RouteCommand.run(rest, environment: environment)
      case "version", "--version":
        print("junction \(version)")
        return 0
      case "help", "--help", "-h":
        print(usage)
        return 0
      default: throw UsageError("unknown command \"\(command)\"")
      }
    } catch let error as UsageError {
      FileHandle.standardError.write(Data("junction: \(error)\n\n\(usage)\n".utf8))
      return 2
    } catch {
      FileHandle.standardError.write(Data("junction: \(error)\n".utf8))
      return 1
    }
  }

  static func checkConfig(_ arguments: [String], environment: [String: String]) throws -> Int32 {
    let parsed = try CommandLineArguments(arguments, valued: ["config"])
    let path = parsed.positional.first ?? parsed.options["config"] ?? "config"
    switch Result(catching: { () throws(ConfigError) in
      try LoadedConfiguration.load(ConfigDirectory(path: path, environment: environment))
    }) {
    case .success(let loaded):
      for warning in loaded.warnings { print("warning: \(warning)") }
      let failures = RoutingTestCase.run(loaded.routing.tests, configuration: loaded.routing)
      for failure in failures { print(failure) }
      guard failures.isEmpty else { return 1 }
      print("\(path): ok (\(loaded.routing.tests.count) routing test cases passed)")
      return 0
    case .failure(let error):
      for issue in error.issues { print(issue) }
      return 1
    }
  }

  static func serve(_ arguments: [String], environment: [String: String]) throws -> Int32 {
    ProcessMemory.tuneForServer()
    let parsed = try CommandLineArguments(arguments, valued: ["config", "data", "listen"])
    guard parsed.positional.isEmpty else {
      throw UsageError("serve takes no positional arguments")
    }
    let directory = ConfigDirectory(
      path: parsed.options["config"] ?? "config", environment: environment)
    if wantsHugePages(directory), let restarted = ProcessMemory.hugePageEnvironment(environment) {
      // Returns only when the restart failed: then serve on without huge pages.
      let error = ProcessMemory.restart(arguments: CommandLine.arguments, environment: restarted)
      FileHandle.standardError.write(
        Data("junction: serving without huge pages: restart failed: \(error)\n".utf8))
    }
    var loaded: LoadedConfiguration
    switch Result(catching: { () throws(ConfigError) in try LoadedConfiguration.load(directory) }) {
    case .success(let configuration):
      loaded = configuration
    case .failure(let error):
      for issue in error.issues { FileHandle.standardError.write(Data("\(issue)\n".utf8)) }
      return 1
    }
    if let listen = parsed.options["listen"] {
      guard let (host, port) = GatewayConfigParsing.listen(listen) else {
        throw UsageError("--listen: expected HOST:PORT, found \"\(listen)\"")
      }
      loaded.gateway.listenHost = host
      loaded.gateway.listenPort = port
    }
    let data = parsed.options["data"] ?? loaded.gateway.dataDirectory
    let logger = Logger()
    SignalHandling.prepareProcess()
    let gateway = try Gateway(
      configuration: loaded, dataDirectory: data, logger: logger, configDirectory: directory)
    try gateway.start()
    let signal = SignalHandling.waitForTermination { gateway.reloadRouting() }
    logger.info("Signal received.", ["signal": signal])
    gateway.shutdown()
    return 0
  }
}

extension JunctionCommand {
  /// `limits.huge_pages` from `gateway.json` alone, read before the whole config is loaded
  /// (examples parsed, classifier trained) so that the restart does not do that twice. A
  /// `gateway.json` with problems restarts nothing: the full load reports them.
  static func wantsHugePages(_ directory: ConfigDirectory) -> Bool {
    let context = ConfigContext(file: "gateway.json")
    let gateway =
      directory.json("gateway.json", context: context).map {
        GatewayConfig(json: $0, context: context)
      } ?? GatewayConfig()
    return context.issues.isEmpty && gateway.limits.hugePages
  }
}

/// Parsing helpers shared with config.
enum GatewayConfigParsing {
  static func listen(_ text: String) -> (String, Int)? {
    GatewayConfig.parseListen(text).map { ($0.host, $0.port) }
  }
}
