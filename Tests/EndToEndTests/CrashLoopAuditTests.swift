import JunctionModel
import Testing

/// The crash loop's audit on made-up records: a resend counts as explained only when a kill
/// came between the two sends (allowing for a stand-in that handled the first one late).
@Suite struct CrashLoopAuditTests {
  static func inputs(sends: [Receipt], killedAt: [Double]) -> CrashLoopAudit.Inputs {
    let queued: JSON = [
      "type": "message.queued", "offset": 1, "data": ["message": ["id": "msg_1"]],
    ]
    return CrashLoopAudit.Inputs(
      kills: killedAt.count, acknowledged: [:], replies: ["key": "msg_1"], contradictions: [],
      retriesDeduplicated: 0, events: [queued], sends: sends, deliveries: [],
      subscriptionStart: 0, recovered: [1: 1], killedAt: killedAt)
  }

  static func send(epoch: Int, at: Double) -> Receipt {
    Receipt(id: "msg_1", bodyId: "msg_1", epoch: epoch, signatureValid: true, at: at)
  }

  @Test func aResendWithNoKillBetweenIsWrong() {
    let figures = CrashLoopAudit.figures(
      Self.inputs(
        sends: [Self.send(epoch: 0, at: 10), Self.send(epoch: 0, at: 12)], killedAt: [20]))
    #expect(figures.resendsWrong == 1 && figures.resendsAfterKill == 0)
    #expect(figures.violations == ["1 replies sent twice without cause"])
  }

  @Test func aResendInALaterEpochIsExplained() {
    let figures = CrashLoopAudit.figures(
      Self.inputs(
        sends: [Self.send(epoch: 0, at: 10), Self.send(epoch: 1, at: 12)], killedAt: [11]))
    #expect(figures.resendsAfterKill == 1 && figures.violations.isEmpty)
  }

  /// The killed process's send reached the stand-in just before the kill and was stamped just
  /// after it, with the new epoch: the restarted process's resend carries the same epoch.
  @Test func aSendStampedJustAfterTheKillThatCutItOffIsExplained() {
    let figures = CrashLoopAudit.figures(
      Self.inputs(
        sends: [Self.send(epoch: 1, at: 10.2), Self.send(epoch: 1, at: 11)], killedAt: [10]))
    #expect(figures.resendsAfterKill == 1 && figures.violations.isEmpty)
  }
}
