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

  /// Runs a program to completion and returns its standard output; throws with its output
  /// when it fails.
  ///
  /// Spawned with `posix_spawn` and reaped with `waitpid` rather than Foundation's `Process`:
  /// the peer scripts leave daemons behind and `Process.waitUntilExit` was seen to miss the
  /// script's exit here. The child gets an empty signal mask (the test process blocks signals
  /// in its threads, and Dovecot started with SIGTERM blocked could never be stopped) and
  /// writes into a file, so a daemon that keeps its standard output open blocks nobody.
  @discardableResult
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let outputPath = NSTemporaryDirectory() + "junction-peer-\(UUID().uuidString).out"
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigfillset(&defaults)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
    let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    let envp = Self.environment(environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
    guard spawned == 0 else {
      throw PeerError(description: "cannot start \(arguments.joined(separator: " ")): \(spawned)")
    }
    var status: Int32 = 0
    var exited = false
    while true {
      let reaped = waitpid(pid, &status, 0)
      if reaped == pid {
        exited = true
        break
      }
      if reaped < 0 && errno == EINTR { continue }
      break  // ECHILD: somebody else reaped it; judge by the output
    }
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let code = (status >> 8) & 0xFF
    if exited && ((status & 0x7F) != 0 || code != 0) {
      throw PeerError(
        description:
          "\(arguments.joined(separator: " ")) exited \(code) (status \(status)): \(text)")
    }
    return text
  }

  /// The test process's environment with `extra` added.
  static func environment(_ extra: [String: String]) -> [String: String] {
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in extra { merged[key] = value }
    return merged
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
