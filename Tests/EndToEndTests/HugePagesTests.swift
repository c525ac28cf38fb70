import Foundation
import JunctionModel
import JunctionTesting
import Testing

/// `serve` restarts itself once so glibc's allocator asks for transparent huge pages
/// (`limits.huge_pages`, on by default), keeping its process id, and does not when told not to.
@Suite(.serialized, .offCooperativePool) struct HugePagesTests {
  @Test func serveRestartsWithHugePagesAndStillServes() throws {
    let deployment = try TestDeployment()
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let pid = try #require(deployment.process.processIdentifier)
    let environment = try Self.environment(of: pid)
    #expect(environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.hugetlb=1") == true)
    #expect(environment["JUNCTION_MALLOC_RESTARTED"] == "1")
    // The restarted process is the one that serves, under the pid `Process` started.
    let client = deployment.process.client()
    #expect(try deployment.post(client, id: "m-1", from: "u-1", text: "hello").status == 200)
    #expect(!deployment.process.logText.contains("without huge pages"))
    // Where the kernel allows huge pages, the heap has some (`never` turns them off).
    let mode = try String(
      contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
    if !mode.contains("[never]") {
      #expect(try Self.anonymousHugePagesKiB(of: pid) > 0)
    }
  }

  @Test func hugePagesOffMeansNoRestart() throws {
    let deployment = try TestDeployment(gateway: ["limits": ["huge_pages": false]])
    defer { deployment.process.cleanup() }
    try deployment.process.start()
    let pid = try #require(deployment.process.processIdentifier)
    let environment = try Self.environment(of: pid)
    #expect(environment["JUNCTION_MALLOC_RESTARTED"] == nil)
    #expect(environment["GLIBC_TUNABLES"]?.contains("hugetlb") != true)
    let client = deployment.process.client()
    #expect(try deployment.post(client, id: "m-1", from: "u-1", text: "hello").status == 200)
  }

  static func environment(of pid: Int32) throws -> [String: String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
    var result: [String: String] = [:]
    for entry in data.split(separator: 0) {
      let text = String(decoding: entry, as: UTF8.self)
      guard let equals = text.firstIndex(of: "=") else { continue }
      result[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    return result
  }

  static func anonymousHugePagesKiB(of pid: Int32) throws -> Int {
    let text = try String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
    for line in text.split(separator: "\n") where line.hasPrefix("AnonHugePages:") {
      return Int(line.split(separator: " ")[1]) ?? 0
    }
    return 0
  }
}
