import Foundation
import JunctionCurl
import JunctionTesting
import Testing

@Suite struct CurlIMAPSessionTests {
  @Test func appendSelectSearchAndFetchExactBytes() async throws {
    let peers = try await MailPeers.shared()
    let session = peers.imapSession("user1")
    let messages = (1...3).map { testMessage(subject: "Вопрос \($0)", body: "Текст \($0)\r\n.dot") }
    for message in messages { try await session.append(message, to: "INBOX") }

    let selected = try await session.select("INBOX")
    #expect(selected.exists == 3)
    #expect(selected.uidNext == 4)
    let validity = try #require(selected.uidValidity)
    let status = try await session.status("INBOX")
    #expect(status == IMAPMailboxStatus(uidValidity: validity, uidNext: 4, exists: 3))

    #expect(try await session.searchUIDs(in: "INBOX", after: 0) == [1, 2, 3])
    #expect(try await session.searchUIDs(in: "INBOX", after: 2) == [3])
    // `UID 4:*` answers the highest UID (3) although it is not newer: filtered out.
    #expect(try await session.searchUIDs(in: "INBOX", after: 3) == [])
    #expect(try await session.fetchMessage(uid: 2, in: "INBOX") == messages[1])
  }

  @Test func storeSeenFlag() async throws {
    let peers = try await MailPeers.shared()
    let session = peers.imapSession("user2")
    try await session.append(testMessage(subject: "flags", body: "x"), to: "INBOX")
    // libcurl's APPEND stores messages \Seen: clear it first.
    try await session.storeFlags(["\\Seen"], uid: 1, in: "INBOX", add: false)
    #expect(try await session.searchUIDs(in: "INBOX", criteria: "UNSEEN") == [1])
    try await session.markSeen(uid: 1, in: "INBOX")
    #expect(try await session.searchUIDs(in: "INBOX", criteria: "UNSEEN") == [])
    #expect(try await session.searchUIDs(in: "INBOX", criteria: "SEEN") == [1])
  }

  @Test(arguments: [(true, "user3"), (false, "user4")])
  func moveToCreatedCyrillicFolder(useMove: Bool, user: String) async throws {
    let peers = try await MailPeers.shared()
    let session = peers.imapSession(user, useMove: useMove)
    let folder = "Обработано & done"
    try await session.createMailboxIfMissing(folder)
    try await session.createMailboxIfMissing(folder)
    #expect(try await session.listMailboxes().contains(folder))
    let first = testMessage(subject: "первое", body: "1")
    try await session.append(first, to: "INBOX")
    try await session.append(testMessage(subject: "второе", body: "2"), to: "INBOX")

    try await session.move(uid: 1, from: "INBOX", to: folder)
    #expect(try await session.searchUIDs(in: "INBOX", criteria: "ALL") == [2])
    let moved = try await session.searchUIDs(in: folder, after: 0)
    #expect(moved.count == 1)
    #expect(try await session.fetchMessage(uid: moved[0], in: folder) == first)
    let status = try await session.select(folder)
    #expect(status.exists == 1)
  }

  @Test func missingMessageAndWrongPasswordAreTypedErrors() async throws {
    let peers = try await MailPeers.shared()
    let session = peers.imapSession("user6")
    _ = try await session.select("INBOX")
    await #expect {
      try await session.fetchMessage(uid: 999, in: "INBOX")
    } throws: { ($0 as? CurlError)?.kind == .notFound }
    await #expect {
      try await session.select("No Such Folder")
    } throws: { ($0 as? CurlError)?.kind == .notFound }

    let intruder = CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imap://127.0.0.1:\(peers.imapPort)",
        credentials: CurlCredentials(user: "user6", password: "wrong"), tlsPolicy: .none))
    await #expect {
      try await intruder.select("INBOX")
    } throws: { ($0 as? CurlError)?.kind == .loginDenied }
  }

  @Test func implicitTLSAndRequiredSTARTTLSWithTheTestCertificate() async throws {
    let peers = try await MailPeers.shared()
    let credentials = CurlCredentials(user: "user7", password: peers.password)
    let trusted = CurlTLSOptions(caFile: peers.caFile)
    let imaps = CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imaps://127.0.0.1:\(peers.imapsPort)", credentials: credentials, tls: trusted))
    #expect(try await imaps.select("INBOX").uidValidity != nil)
    let startTLS = CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imap://127.0.0.1:\(peers.imapPort)", credentials: credentials, tlsPolicy: .required,
        tls: trusted))
    #expect(try await startTLS.status("INBOX").uidValidity != nil)
    let untrusted = CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imaps://127.0.0.1:\(peers.imapsPort)", credentials: credentials))
    await #expect {
      try await untrusted.select("INBOX")
    } throws: { ($0 as? CurlError)?.kind == .tls }
  }

  @Test func sessionReconnectsAfterTheServerRestarts() async throws {
    let directory = try PeerProcess.temporaryDirectory("junction-imap-restart")
    let environment = ["OWNER_PID": String(ProcessInfo.processInfo.processIdentifier)]
    let started = try await PeerProcess.peer(
      "dovecot", "start", directory, environment: environment)
    do {
      try await checkReconnect(started: started, directory: directory, environment: environment)
    } catch {
      _ = try? await PeerProcess.peer("dovecot", "stop", directory)
      throw error
    }
    try await PeerProcess.peer("dovecot", "stop", directory)
  }

  private func checkReconnect(
    started: [String: String], directory: String, environment: [String: String]
  ) async throws {
    let port = try #require(started["IMAP_PORT"].flatMap(Int.init))
    let session = CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imap://127.0.0.1:\(port)",
        credentials: CurlCredentials(user: "test", password: started["IMAP_PASSWORD"] ?? ""),
        tlsPolicy: .none, timeout: 20))
    try await session.append(testMessage(subject: "before", body: "1"), to: "INBOX")
    let before = try await session.select("INBOX")

    try await PeerProcess.peer("dovecot", "stop", directory)
    try await PeerProcess.peer("dovecot", "start", directory, environment: environment)

    let after = try await session.select("INBOX")
    #expect(after.uidValidity == before.uidValidity)
    #expect(after.exists == 1)
    #expect(try await session.searchUIDs(in: "INBOX", after: 0) == [1])
  }
}
