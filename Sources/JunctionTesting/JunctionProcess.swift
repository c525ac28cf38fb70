import Foundation
import JunctionModel
import JunctionSystem

/// Runs the real `junction serve` binary on loopback with a config of the test's own, for
/// end-to-end tests: start, SIGKILL, SIGTERM, restart on the same data directory.
public final class JunctionProcess: @unchecked Sendable {
  public let directory: URL
  public var configDirectory: URL { directory.appendingPathComponent("config") }
  public var dataDirectory: URL { directory.appendingPathComponent("data") }
  public private(set) var port = 0
  private var process: Process?
  private let log: LogCollector
  public let environment: [String: String]

  /// Writes `files` (name → JSON) into a fresh config directory.
  public init(files: [String: JSON], environment: [String: String] = [:]) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "junction-e2e-" + UUID().uuidString)
    self.directory = directory
    self.environment = environment
    log = LogCollector(path: directory.appendingPathComponent("junction.log").path)
    let config = directory.appendingPathComponent("config")
    try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
    for (name, json) in files {
      try Data(json.serialized()).write(to: config.appendingPathComponent(name))
    }
  }

  /// The `junction` executable built next to the test bundle.
  public static var executable: URL {
    let candidates = [
      Bundle.main.executableURL?.deletingLastPathComponent(),
      Bundle.main.bundleURL.deletingLastPathComponent(),
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug"),
    ]
    for case let directory? in candidates {
      let url = directory.appendingPathComponent("junction")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return URL(fileURLWithPath: "/nonexistent/junction (build the junction product first)")
  }

  /// Starts `junction serve` on a free port and waits until it listens.
  public func start(timeout: Double = 20) throws {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = [
      "serve", "--config", configDirectory.path, "--data", dataDirectory.path, "--listen",
      "127.0.0.1:0",
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = try log.beginRun()
    process.standardError = output
    process.standardOutput = output
    defer { try? output.close() }
    try process.run()
    self.process = process
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let port = log.listeningPort() {
        self.port = port
        return
      }
      if !process.isRunning { break }
      Thread.sleep(forTimeInterval: 0.02)
    }
    throw JunctionProcessError(message: "junction did not start listening; log:\n\(log.text)")
  }

  /// Kills the process without letting it clean up.
  public func kill() {
    guard let process, process.isRunning else { return }
    Foundation.kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// SIGTERM and wait; returns the exit status.
  @discardableResult
  public func terminate() -> Int32 {
    guard let process else { return -1 }
    if process.isRunning {
      Foundation.kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
    }
    return process.terminationStatus
  }

  /// The running process's id (nil before `start`).
  public var processIdentifier: Int32? { process?.processIdentifier }

  /// Everything the process logged.
  public var logText: String { log.text }

  /// A client for the running process.
  public func client(timeout: Double = 10) -> TestHTTPClient {
    TestHTTPClient(port: port, timeout: timeout)
  }

  public func cleanup() {
    kill()
    try? FileManager.default.removeItem(at: directory)
  }
}

public struct JunctionProcessError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Collects a child's output in a file (every run appended; ``text`` is the latest run's) and
/// finds the latest run's "listening" line.
///
/// A file rather than a pipe watched by `FileHandle.readabilityHandler`: when a restart
/// released the old pipe, its descriptor was closed while the dispatch source still watched
/// it, so the handler read from whatever reused the number (another test's socket) or died
/// on EBADF.
final class LogCollector: @unchecked Sendable {
  let path: String
  private let lock = NSLock()
  private var runStart = 0

  init(path: String) { self.path = path }

  /// A handle appending to the log, for the next run's output.
  func beginRun() throws -> FileHandle {
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw JunctionProcessError(message: "cannot open \(path) for the process's output")
    }
    let end = handle.seekToEndOfFile()
    lock.lock()
    runStart = Int(end)
    lock.unlock()
    return handle
  }

  /// What the latest run logged so far.
  var text: String {
    lock.lock()
    let start = runStart
    lock.unlock()
    let bytes = FileManager.default.contents(atPath: path) ?? Data()
    return bytes.count >= start ? String(decoding: bytes[start...], as: UTF8.self) : ""
  }

  func listeningPort() -> Int? {
    let text = self.text
    guard let range = text.range(of: "Junction is listening. address=127.0.0.1:") else {
      return nil
    }
    return Int(text[range.upperBound...].prefix { $0.isNumber })
  }
}
