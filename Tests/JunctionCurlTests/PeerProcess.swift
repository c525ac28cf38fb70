import Foundation
import Testing

/// Failures of the test peers (missing packages, scripts that did not start).
struct PeerError: Error, CustomStringConvertible {
  var description: String
}

/// Test helpers that run programs: the peer scripts under `scripts/peers/` and python3.
enum PeerProcess {
  /// The repository root (tests live in `Tests/JunctionCurlTests/`).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Starts programs through python3 with an empty signal mask: the test process blocks
  /// signals in its threads, children inherit that mask, and peers such as Dovecot then never
  /// see the SIGTERM that stops them.
  static let unblockSignals =
    "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
    + "os.execvp(sys.argv[1], sys.argv[1:])"

  /// The test process's environment with `extra` added.
  static func environment(_ extra: [String: String]) -> [String: String] {
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in extra { merged[key] = value }
    return merged
  }

  /// Runs a program to completion and returns its standard output; throws with its output
  /// when it fails.
  @discardableResult
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", unblockSignals] + arguments
    process.environment = Self.environment(environment)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw PeerError(
        description: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
          + text + String(decoding: errorData, as: UTF8.self))
    }
    return text
  }

  /// The python3 interpreter itself (not a version manager's shim that would stand between
  /// the test and the process it stops), or nil when python3 is missing.
  static let python: String? = {
    guard let path = try? run(["python3", "-c", "import sys; print(sys.executable)"]) else {
      return nil
    }
    let trimmed = path.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }()

  /// Runs `scripts/peers/<peer>.sh command dir` and parses its `KEY=VALUE` lines.
  static func peer(
    _ peer: String, _ command: String, _ directory: String,
    environment: [String: String] = [:]
  ) throws -> [String: String] {
    let script = root.appendingPathComponent("scripts/peers/\(peer).sh").path
    let output = try run(["bash", script, command, directory], environment: environment)
    var values: [String: String] = [:]
    for line in output.split(separator: "\n") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      values[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return values
  }

  /// A new empty directory under the system's temporary directory.
  static func temporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
