import Foundation
import Glibc
import JunctionModel

/// The Python webhook receiver of `python/webhook_receiver.py`, verifying signatures with the
/// official Standard Webhooks library. Fails the test loudly when it cannot start.
final class PythonReceiver: @unchecked Sendable {
  let process = Process()
  let log: String
  let port: Int

  init(secret: String, port: Int = 0) throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("python/webhook_receiver.py").path
    log = NSTemporaryDirectory() + "receiver-\(UUID().uuidString).jsonl"
    FileManager.default.createFile(atPath: log, contents: nil)
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, secret, log, String(port)]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let line = String(
      decoding: output.fileHandleForReading.availableData.prefix { $0 != 10 }, as: UTF8.self)
    guard line.hasPrefix("PORT="), let bound = Int(line.dropFirst(5)) else {
      process.terminate()
      throw ReceiverError(
        message:
          "webhook_receiver.py did not start (is python3 with standardwebhooks installed? run scripts/peers/python.sh install): \(line)"
      )
    }
    self.port = bound
  }

  var url: String { "http://127.0.0.1:\(port)/hooks" }

  /// Every delivery logged so far.
  func deliveries() -> [JSON] {
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { try? JSON.parse(Array($0.utf8)) }
  }

  /// Waits until at least `count` deliveries arrived.
  @discardableResult
  func wait(for count: Int, timeout: Double = 15) -> [JSON] {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let all = deliveries()
      if all.count >= count { return all }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return deliveries()
  }

  func stop() {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(atPath: log)
  }

  struct ReceiverError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
