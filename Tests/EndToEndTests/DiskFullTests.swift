import Foundation
import JunctionModel
import JunctionTesting
import Testing

/// Issue 9, part 2: appends on a full disk answer providers `503` (retry later) instead of
/// acknowledging, reads go on, and Junction recovers by itself when space returns.
///
/// The data directory is a small tmpfs this test mounts (it needs root, as `scripts/test`
/// runs; without it the test fails, naming the reason).
@Suite(.serialized, .offCooperativePool) struct DiskFullTests {
  @Test func fullDiskRefusesWebhooksWith503AndRecoversWhenSpaceReturns() throws {
    let deployment = try TestDeployment(gateway: [
      "journal": ["segment_bytes": "64KiB", "snapshot_every": 0]
    ])
    let data = deployment.process.dataDirectory
    let mount = try TemporaryMount(at: data, sizeBytes: 4 << 20)
    defer {
      deployment.process.kill()
      mount.unmount()
      deployment.process.cleanup()
    }
    try deployment.process.start()
    let client = deployment.process.client()
    var acknowledged: [String: String] = [:]
    for index in 0..<60 {
      let response = try deployment.post(
        client, id: "before-\(index)", from: "u-\(index % 3)", text: "hello")
      #expect(response.status == 200)
      acknowledged["before-\(index)"] = response.json["message_id"]?.stringValue
    }

    let filler = data.appendingPathComponent("filler")
    try mount.fill(filler)
    // The active segment's last page may still take a few records; then every append fails.
    var refused: [String] = []
    for index in 0..<200 where refused.count < 10 {
      let id = "full-\(index)"
      let response = try deployment.post(client, id: id, from: "u-\(index % 3)", text: "while full")
      switch response.status {
      case 200:
        #expect(refused.isEmpty, "acknowledged \(id) after refusing \(refused)")
        acknowledged[id] = response.json["message_id"]?.stringValue
      case 503:
        #expect(response.json["error"]?["code"] == "journal_unavailable")
        #expect(response.header("Retry-After") != nil)
        refused.append(id)
      default:
        Issue.record("\(id): unexpected \(response.status) \(response.text)")
      }
    }
    #expect(refused.count == 10, "a full disk never refused a webhook")
    // Reads are served from memory and go on.
    let feed = try client.request("GET", "/v1/events?after=0&limit=5", headers: deployment.auth)
    #expect(feed.status == 200)

    try FileManager.default.removeItem(at: filler)
    for id in refused {
      let response = try deployment.post(client, id: id, from: "u-1", text: "space is back")
      #expect(
        response.status == 200, "\(id) after space returned: \(response.status) \(response.text)")
      #expect(response.json["duplicate"] == false, "\(id) was refused yet stored")
      acknowledged[id] = response.json["message_id"]?.stringValue
    }

    // Nothing acknowledged was lost, nothing refused was half-written: after a crash and
    // recovery the feed holds each acknowledged message once.
    deployment.process.kill()
    try deployment.process.start()
    let events = try deployment.allEvents(deployment.process.client())
    var stored: [String: [String]] = [:]
    for event in events where event["type"] == "message.received" {
      let message = event["data"]?["message"]
      if let id = message?["provider_message_id"]?.stringValue {
        stored[id, default: []].append(message?["id"]?.stringValue ?? "")
      }
    }
    for (id, messageId) in acknowledged {
      #expect(stored[id] == [messageId], "\(id): stored as \(stored[id] ?? [])")
    }
    #expect(stored.count == acknowledged.count)
  }
}

/// A tmpfs mounted for one test, with a way to fill it.
struct TemporaryMount {
  let path: URL

  /// Mounts a tmpfs of `sizeBytes` at `path` (created if missing). Needs root.
  init(at path: URL, sizeBytes: Int) throws {
    self.path = path
    try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
    let (status, output) = Self.run(
      "/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeBytes)", "tmpfs", path.path])
    guard status == 0 else {
      throw DiskFullSetupError(
        message: "cannot mount a tmpfs at \(path.path) (this test needs root): \(output)")
    }
  }

  /// Writes zeros to `file` until the file system has no space left.
  func fill(_ file: URL) throws {
    let (_, output) = Self.run("/bin/dd", ["if=/dev/zero", "of=\(file.path)", "bs=4096"])
    guard output.contains("No space left") else {
      throw DiskFullSetupError(message: "dd did not fill \(path.path): \(output)")
    }
  }

  func unmount() { _ = Self.run("/bin/umount", ["-l", path.path]) }

  static func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
      try process.run()
    } catch {
      return (-1, "\(tool): \(error)")
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}

struct DiskFullSetupError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
