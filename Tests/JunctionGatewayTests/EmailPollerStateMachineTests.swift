import JunctionChannels
import JunctionModel
import Testing

@testable import JunctionGateway

/// The IMAP poller's decisions, driven with a manual clock: when to poll, what to search,
/// what to fetch, how failures back off and what `/healthz` shows.
@Suite struct EmailPollerStateMachineTests {
  func at(_ seconds: Double) -> Timestamp { Timestamp(millis: Int64(seconds * 1000)) }

  @Test func pollsAtOnceThenEveryIntervalAndNotBefore() {
    var machine = MailboxPollerStateMachine(
      pollInterval: 60, movesMail: false, cursor: nil, cursorVersion: 0)
    #expect(machine.started(now: at(0)) == .poll)
    #expect(machine.timerFired(now: at(0.5)) == .sleep(until: at(1.5)))
    #expect(machine.succeeded(now: at(2)) == .sleep(until: at(62)))
    #expect(machine.timerFired(now: at(30)) == .sleep(until: at(62)))
    #expect(machine.timerFired(now: at(62)) == .poll)
    machine.stop()
    #expect(machine.succeeded(now: at(63)) == .stop)
    #expect(machine.timerFired(now: at(200)) == .stop)
  }

  @Test func failuresBackOffExponentiallyToACapAndShowUntilASuccess() {
    var machine = MailboxPollerStateMachine(
      pollInterval: 30, movesMail: false, cursor: nil, cursorVersion: 0)
    _ = machine.started(now: at(0))
    var now = 0.0
    var delays: [Double] = []
    for _ in 0..<9 {
      guard case .sleep(let until) = machine.failed(now: at(now), reason: "connection: refused")
      else {
        Issue.record("expected a sleep")
        return
      }
      delays.append(Double(until.millis) / 1000 - now)
      now = Double(until.millis) / 1000
      #expect(machine.timerFired(now: until) == .poll)
    }
    #expect(delays == [5, 10, 20, 40, 80, 160, 300, 300, 300])
    #expect(machine.consecutiveFailures == 9)
    #expect(machine.problem?.hasPrefix("9 failed poll(s): connection: refused;") == true)
    #expect(machine.succeeded(now: at(now)) == .sleep(until: at(now + 30)))
    #expect(machine.problem == nil)
    #expect(machine.consecutiveFailures == 0)
  }

  @Test func aLongIntervalRaisesTheBackoffCap() {
    var machine = MailboxPollerStateMachine(
      pollInterval: 900, movesMail: false, cursor: nil, cursorVersion: 0)
    for _ in 0..<12 { _ = machine.failed(now: at(0), reason: "x") }
    #expect(machine.backoffDelay == 900)
  }

  @Test(arguments: [(false, "UNSEEN"), (true, "ALL")])
  func aFirstStartTakesUnseenMailOrAllWhenMailIsMoved(moves: Bool, criteria: String) {
    var machine = MailboxPollerStateMachine(
      pollInterval: 60, movesMail: moves, cursor: nil, cursorVersion: 0)
    let search = machine.selected(MailboxStatus(uidValidity: 7, uidNext: 12))
    #expect(search.criteria == criteria)
    #expect(machine.toFetch([9, 3, 5]) == [3, 5, 9])
    #expect(machine.resyncs == 0)
  }

  @Test func aMatchingCursorSearchesPastItsLastUID() {
    var machine = MailboxPollerStateMachine(
      pollInterval: 60, movesMail: false,
      cursor: MailboxCursor(uidValidity: 7, lastUID: 41, uids: [40, 41]), cursorVersion: 3)
    #expect(machine.pendingPostActions == [40, 41])
    #expect(machine.selected(MailboxStatus(uidValidity: 7)) == .after(41))
    #expect(MailboxPollerStateMachine.Search.after(41).criteria == "UID 42:*")
    // `UID 42:*` always answers the highest UID, even when it is older.
    #expect(machine.toFetch([41]) == [])
    #expect(machine.toFetch([44, 42, 41]) == [42, 44])
    machine.postActionsDone()
    machine.journaled(MailboxCursor(uidValidity: 7, lastUID: 44, uids: [42, 44]), version: 4)
    #expect(machine.pendingPostActions == [42, 44])
    #expect(machine.cursorVersion == 4)
    #expect(machine.toFetch([44, 45]) == [45])
  }

  @Test func aChangedUIDValidityResyncsAndForgetsOldUIDs() {
    var machine = MailboxPollerStateMachine(
      pollInterval: 60, movesMail: true,
      cursor: MailboxCursor(uidValidity: 7, lastUID: 41, uids: [41]), cursorVersion: 3)
    #expect(machine.selected(MailboxStatus(uidValidity: 8)) == .all)
    #expect(machine.resyncs == 1)
    #expect(machine.pendingPostActions.isEmpty)
    #expect(machine.toFetch([1, 2]) == [1, 2])
  }

  @Test func aCursorRoundTripsThroughItsEvent() {
    let cursor = MailboxCursor(uidValidity: 4_000_000_000, lastUID: 17, uids: [16, 17])
    let json = cursor.json(channel: "mail", mailbox: "INBOX", skipped: [15])
    #expect(json["skipped_uids"] == [15])
    #expect(MailboxCursor(json: json) == cursor)
    #expect(MailboxCursor(json: ["last_uid": 1]) == nil)
  }
}
