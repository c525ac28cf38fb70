import Foundation
import JunctionConfig
import JunctionGateway
import JunctionModel
import JunctionTesting
import Testing

/// The routing configuration is checked like code: test cases, reloads, refusals, versions.
@Suite(.serialized) struct RoutingConfigTests {
  /// A copy of the shipped config/ to change freely.
  static func copyOfShippedConfig() throws -> String {
    let folder = NSTemporaryDirectory() + "config-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: GatewayHarness.shippedConfigPath, toPath: folder)
    return folder
  }

  @Test func checkConfigRunsTheRoutingTestCasesAndFailsOnAMismatch() throws {
    let folder = try Self.copyOfShippedConfig()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(JunctionCommand.run(["check-config", folder], environment: [:]) == 0)
    let wrong = """
      {"cases": [{"name": "wrong on purpose", "message": "I was charged twice for my order",
                  "channel": "chat", "at": "2026-11-24T12:00:00+03:00", "expect": {"queue": "returns"}}]}
      """
    try wrong.write(toFile: folder + "/tests/wrong.json", atomically: true, encoding: .utf8)
    #expect(JunctionCommand.run(["check-config", folder], environment: [:]) == 1)
    try "{\"cases\": [{\"message\": \"x\", \"expect\": {\"colour\": 1}}]}".write(
      toFile: folder + "/tests/wrong.json", atomically: true, encoding: .utf8)
    let problems = RoutingConfigReloaderProbe.problems(folder)
    #expect(
      problems.contains { $0.contains("tests/wrong.json: cases[0].expect.colour: unknown key") })
  }

  @Test func anInvalidReloadIsRefusedAndAValidOneIsAppliedWithANewVersion() throws {
    let folder = try Self.copyOfShippedConfig()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let directory = ConfigDirectory(path: folder, environment: [:])
    let routing = try RoutingConfiguration.load(directory).configuration
    let harness = try GatewayHarness(routing: routing, configDirectory: directory)
    defer { harness.stop() }
    let client = harness.client()
    let first = try harness.waitForEvents(client, type: "config.applied")
    #expect(first.first { $0["type"] == "config.applied" }?["data"]?["version"] == 1)

    // A typo: refused, counted, the previous config keeps serving.
    let good = try String(contentsOfFile: folder + "/routing.json", encoding: .utf8)
    try good.replacingOccurrences(of: "\"queues\":", with: "\"qeues\":")
      .write(toFile: folder + "/routing.json", atomically: true, encoding: .utf8)
    harness.gateway.reloadRouting()
    var refused = false
    for _ in 0..<100 where !refused {
      Thread.sleep(forTimeInterval: 0.05)
      refused = try client.request("GET", "/metrics").text.contains(
        "junction_config_refused_total 1")
    }
    #expect(refused)
    let admin = try client.request(
      "GET", "/v1/admin/config", headers: [("Authorization", "Bearer \(GatewayHarness.adminToken)")]
    )
    #expect(admin.json["version"] == 1)
    #expect(admin.json["queues"]?.arrayValue?.contains("billing") == true)

    // A real change is applied and journaled as version 2.
    try good.replacingOccurrences(of: "\"Payments and invoices\"", with: "\"Payments\"")
      .write(toFile: folder + "/routing.json", atomically: true, encoding: .utf8)
    let events = try harness.waitForEvents(client, type: "config.applied", count: 2, timeout: 10)
    let applied = events.filter { $0["type"] == "config.applied" }
    #expect(applied.last?["data"]?["version"] == 2)
    #expect(applied.last?["data"]?["digest"] != applied.first?["data"]?["digest"])
    #expect(applied.last?["data"]?["files"]?["routing.json"]?.stringValue != nil)
  }

  @Test func theAdminAPIValidatesAndAppliesOnlyValidFiles() throws {
    let folder = try Self.copyOfShippedConfig()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let directory = ConfigDirectory(path: folder, environment: [:])
    let harness = try GatewayHarness(
      routing: try RoutingConfiguration.load(directory).configuration, configDirectory: directory)
    defer { harness.stop() }
    let client = harness.client()
    let bad: JSON = ["routing.json": ["filters": [["targets": [["queue": "nowhere"]]]]]]
    let checked = try harness.postAPI(
      client, "POST", "/v1/admin/config/validate", bad, token: GatewayHarness.adminToken)
    #expect(checked.json["valid"] == false)
    #expect(
      checked.json["problems"]?.arrayValue?.contains {
        $0.stringValue?.contains("routing.json: filters[0].targets[0].queue") == true
      } == true)
    let refused = try harness.postAPI(
      client, "PUT", "/v1/admin/config", bad, token: GatewayHarness.adminToken)
    #expect(refused.status == 422)
    let unchanged = try String(contentsOfFile: folder + "/routing.json", encoding: .utf8)
    #expect(unchanged.contains("answered by the bot"))
  }
}

/// Reaches the reloader's validation through the public command line: the problems
/// `check-config` would print for `folder`.
enum RoutingConfigReloaderProbe {
  static func problems(_ folder: String) -> [String] {
    do {
      _ = try RoutingConfiguration.load(ConfigDirectory(path: folder, environment: [:]))
      return []
    } catch {
      return error.issues.map(\.description)
    }
  }
}
