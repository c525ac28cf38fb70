import Foundation
import JunctionModel
import JunctionRouting
import Testing

/// `QUEUES-CONFIG.md` stays true: its complete example is valid and its sample decision is what
/// the workflow decides for it.
@Suite struct QueuesConfigDocumentTests {
  /// The JSON code blocks of the document, in order.
  static func jsonBlocks() throws -> [String] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/JunctionRouting/QUEUES-CONFIG.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.components(separatedBy: "```json\n").dropFirst().compactMap {
      $0.components(separatedBy: "```").first
    }
  }

  @Test func completeExampleIsValid() throws {
    let blocks = try Self.jsonBlocks()
    let (config, issues, warnings) = QueueingFixtures.parse(blocks[0])
    #expect(issues == [] && warnings == [])
    #expect(
      config.queues.map(\.id) == ["vip_chat", "l1_chat", "night", "l2", "email", "_unmatched"])
    #expect(config.slaPolicies.map(\.name) == ["vip chat", "chat", "sms", "email"])
  }

  @Test func sampleDecisionMatches() throws {
    let blocks = try Self.jsonBlocks()
    let config = QueueingFixtures.valid(blocks[0])
    let facts = WorkflowFacts(
      skill: "billing", tier: "l1", channelKind: "chat", language: "ru", contact: ["plan": "gold"],
      time: QueueingFixtures.at("2026-11-23T10:00:00+03:00"))
    let decision = config.workflow.route(facts) { _ in true }
    let documented = try JSONParser(maxDepth: 32, allowDuplicateKeys: false).parse(
      Array(blocks[blocks.count - 1].utf8))
    #expect(decision.json == documented)
  }
}
