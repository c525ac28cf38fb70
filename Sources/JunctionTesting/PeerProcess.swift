import Foundation

/// Failures of the test peers (missing packages, scripts that did not start).
public struct PeerError: Error, CustomStringConvertible {
  public var description: String

  /// An error saying `description`.
  public init(description: String) { self.description = description }
}

/// Test helpers that run programs: the peer scripts under `scripts/peers/` and python3.
///
/// Children are spawned with `posix_spawn` and reaped with `waitpid` rather than Foundation's
/// `Process`, whose `waitUntilExit` was seen to miss a script's exit here. They get an empty
/// signal mask (the test process blocks signals in its threads, and a Dovecot started with
/// SIGTERM blocked could never be stopped) and write into a file, so a daemon that keeps its
/// standard output open blocks nobody. Blocking waits run on a queue of their own, never on
/// Swift's cooperative threads.
public enum PeerProcess {
  /// The repository root (this file lives in `Sources/JunctionTesting/`).
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  private static let waiting = DispatchQueue(label: "junction-tests-peers", attributes: .concurrent)

  /// Starts `arguments` (looked up on PATH) with output into `outputPath`; returns its pid.
  public static func spawn(
    _ arguments: [String], environment: [String: String] = [:], outputPath: String
  )
    throws -> pid_t
  {
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
    return pid
  }

  /// Waits for `pid` to exit; its exit code, or nil when it died of a signal or was reaped
  /// elsewhere.
  public static func wait(_ pid: pid_t) -> Int32? {
    var status: Int32 = 0
    while true {
      let reaped = waitpid(pid, &status, 0)
      if reaped == pid { break }
      if reaped < 0 && errno == EINTR { continue }
      return nil
    }
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
  }

  /// Runs a program to completion off the cooperative threads and returns its output
  /// (standard output and error); throws with the output when it fails.
  @discardableResult
  public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> String
  {
    let result: Result<String, PeerError> = await withCheckedContinuation { continuation in
      waiting.async { continuation.resume(returning: runBlocking(arguments, environment)) }
    }
    return try result.get()
  }

  private static func runBlocking(_ arguments: [String], _ environment: [String: String])
    -> Result<String, PeerError>
  {
    let outputPath = NSTemporaryDirectory() + "junction-peer-\(UUID().uuidString).out"
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    do {
      let pid = try spawn(arguments, environment: environment, outputPath: outputPath)
      let code = wait(pid)
      let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
      guard code == 0 else {
        let described = code.map { "exited \($0)" } ?? "died"
        return .failure(
          PeerError(description: "\(arguments.joined(separator: " ")) \(described): \(text)"))
      }
      return .success(text)
    } catch let error as PeerError {
      return .failure(error)
    } catch {
      return .failure(PeerError(description: "\(error)"))
    }
  }

  /// The test process's environment with `extra` added.
  public static func environment(_ extra: [String: String]) -> [String: String] {
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in extra { merged[key] = value }
    return merged
  }

  /// Runs `scripts/peers/<peer>.sh command dir` and parses its `KEY=VALUE` lines.
  @discardableResult
  public static func peer(
    _ peer: String, _ command: String, _ directory: String, environment: [String: String] = [:]
  ) async throws -> [String: String] {
    let script = root.appendingPathComponent("scripts/peers/\(peer).sh").path
    let output = try await run(["bash", script, command, directory], environment: environment)
    var values: [String: String] = [:]
    for line in output.split(separator: "\n") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      values[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return values
  }

  /// A new empty directory under the system's temporary directory.
  public static func temporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
