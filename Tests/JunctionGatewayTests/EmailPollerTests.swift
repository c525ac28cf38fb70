import Foundation
import JunctionChannels
import JunctionConfig
import JunctionModel
import JunctionSystem
import JunctionTesting
import Synchronization
import Testing

@testable import JunctionGateway

/// The poller's I/O shell against a stand-in mailbox and a real gateway's journal: a failed
/// post-action is redone without fetching again, a new poller resumes from the journaled
/// cursor, and a `UIDVALIDITY` change resyncs with Message-ID dedupe.
@Suite(.serialized) struct EmailPollerTests {
  /// An in-memory IMAP mailbox that can fail its first moves.
  final class StandInMailbox: MailboxSession {
    struct State {
      var validity: UInt32 = 1
      var nextUID: UInt32 = 1
      var inbox: [(uid: UInt32, bytes: [UInt8])] = []
      var folders: [String: [[UInt8]]] = [:]
      var fetches: [UInt32: Int] = [:]
      var failingMoves = 0
    }
    let state = Mutex(State())

    func add(_ bytes: [UInt8]) {
      state.withLock {
        $0.inbox.append(($0.nextUID, bytes))
        $0.nextUID += 1
      }
    }

    func select(_ mailbox: String) async throws(MailboxError) -> MailboxStatus {
      state.withLock { MailboxStatus(uidValidity: $0.validity, uidNext: $0.nextUID) }
    }

    func searchUIDs(in mailbox: String, criteria: String) async throws(MailboxError) -> [UInt32] {
      state.withLock { state in
        let uids = state.inbox.map(\.uid)
        guard criteria.hasPrefix("UID ") else { return uids }
        let first = UInt32(criteria.dropFirst(4).prefix { $0 != ":" }) ?? 1
        let found = uids.filter { $0 >= first }
        return found.isEmpty ? uids.max().map { [$0] } ?? [] : found
      }
    }

    func fetchMessage(uid: UInt32, in mailbox: String, maxBytes: Int) async throws(MailboxError)
      -> [UInt8]
    {
      let found = state.withLock { state -> [UInt8]? in
        state.fetches[uid, default: 0] += 1
        return state.inbox.first { $0.uid == uid }?.bytes
      }
      guard let found else { throw MailboxError(.notFound, "no UID \(uid)") }
      return found
    }

    func markSeen(uid: UInt32, in mailbox: String) async throws(MailboxError) {}

    func move(uid: UInt32, from mailbox: String, to destination: String) async throws(MailboxError)
    {
      let failed = state.withLock { state -> Bool in
        if state.failingMoves > 0 {
          state.failingMoves -= 1
          return true
        }
        if let index = state.inbox.firstIndex(where: { $0.uid == uid }) {
          state.folders[destination, default: []].append(state.inbox.remove(at: index).bytes)
        }
        return false
      }
      if failed { throw MailboxError(.connection, "connection reset") }
    }

    func createMailboxIfMissing(_ mailbox: String) async throws(MailboxError) {
      state.withLock { $0.folders[mailbox] = $0.folders[mailbox] ?? [] }
    }

    func disconnect() async {}
  }

  func poller(_ harness: GatewayHarness, _ mailbox: StandInMailbox) throws -> MailboxPoller {
    let gateway = harness.gateway
    let adapter = try #require(gateway.adapters["mail"] as? any MailChannelAdapter)
    return try MailboxPoller(
      channel: "mail", adapter: adapter,
      settings: MailboxSettings(
        server: MailServer(url: "imap://stand-in"), processedFolder: "Done", pollInterval: 0.05),
      session: mailbox, intake: gateway.mail.intake, journal: gateway.journal,
      logger: Logger(minimum: .error), clock: { .now() }, metrics: gateway.metrics,
      backoffBase: 0.05)
  }

  func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(10)
    while !condition() && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
  }

  @Test func journalsOnceRedoesPostActionsAndResyncs() async throws {
    let harness = try GatewayHarness(channels: [
      ChannelInstanceConfig(
        id: "mail", adapter: "email",
        settings: ChannelSettings([
          "from": "support@example.com", "max_message_bytes": .int(1 << 20),
          "poll_interval": 60.0, "starttls": "required", "tls_verify": true, "timeout": 5.0,
          "batch_size": 10, "rate_per_second": 5.0,
        ]))
    ])
    defer { harness.stop() }
    let client = harness.client()
    let mailbox = StandInMailbox()
    for name in ["plain_utf8.eml", "koi8r.eml", "attachments_rfc2231.eml"] {
      mailbox.add(try EmailInboundTests.fixture(name))
    }
    mailbox.state.withLock { $0.failingMoves = 1 }

    let first = try poller(harness, mailbox)
    first.start()
    try await waitUntil { mailbox.state.withLock { $0.folders["Done"]?.count == 3 } }
    first.stop()
    let state = mailbox.state.withLock { $0 }
    #expect(state.inbox.isEmpty)
    #expect(state.fetches == [1: 1, 2: 1, 3: 1])
    var events = try harness.events(client)
    #expect(events.filter { $0["type"] == "message.received" }.count == 3)
    let advanced = events.filter { $0["type"] == "mailbox.advanced" }
    #expect(advanced.count == 1)
    #expect(advanced.first?["data"]?["uids"] == [1, 2, 3])
    let metrics = String(decoding: try client.request("GET", "/metrics").body, as: UTF8.self)
    #expect(metrics.contains(#"junction_mailbox_polls_total{channel="mail",result="error"} 1"#))
    #expect(metrics.contains(#"junction_mailbox_messages_total{channel="mail"} 3"#))

    // The mailbox is rebuilt (new UIDVALIDITY) with a known message and a new one.
    mailbox.state.withLock {
      $0.validity = 2
      $0.nextUID = 1
    }
    mailbox.add(try EmailInboundTests.fixture("plain_utf8.eml"))
    mailbox.add(try EmailInboundTests.fixture("no_message_id.eml"))
    let second = try poller(harness, mailbox)
    #expect(second.details["last_uid"] == 3)
    second.start()
    try await waitUntil { mailbox.state.withLock { $0.inbox.isEmpty } }
    second.stop()
    events = try harness.events(client)
    #expect(events.filter { $0["type"] == "message.received" }.count == 4)
    #expect(events.filter { $0["type"] == "mailbox.advanced" }.last?["data"]?["uidvalidity"] == 2)
    let after = String(decoding: try client.request("GET", "/metrics").body, as: UTF8.self)
    #expect(after.contains(#"junction_mailbox_resyncs_total{channel="mail"} 1"#))
  }
}
