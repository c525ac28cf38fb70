import Foundation
import JunctionCurl
import JunctionSystem
import JunctionTesting
import Testing

@Suite struct CurlSMTPTests {
  private func sender(
    _ peers: MailPeers, port: Int? = nil, credentials: CurlCredentials? = nil,
    tlsPolicy: CurlTLSPolicy = .none
  ) throws -> CurlSMTP {
    try CurlSMTP(
      configuration: CurlSMTP.Configuration(
        url: "smtp://127.0.0.1:\(port ?? peers.smtpPort)", tlsPolicy: tlsPolicy,
        tls: CurlTLSOptions(caFile: peers.smtpCAFile), credentials: credentials, timeout: 20))
  }

  @Test func cyrillicMessageOverSTARTTLSWithAuthArrivesInTheMailbox() async throws {
    let peers = try await MailPeers.shared()
    let smtp = try sender(
      peers, credentials: CurlCredentials(user: "user5", password: peers.password),
      tlsPolicy: .required)
    let recipient = "user5@\(peers.domain)"
    let message = testMessage(
      subject: "Ответ на ваш вопрос", body: "Здравствуйте!\r\n.точка", to: recipient)
    let result = await smtp.send(
      from: "support@\(peers.domain)", recipients: [recipient], message: message)
    await smtp.shutdown()
    #expect(result.outcome == .accepted)
    #expect(result.replyCode == 250)
    #expect(result.error == nil)

    let session = peers.imapSession("user5")
    let uids = try await peers.waitForMessage(session)
    let delivered = String(
      decoding: try await session.fetchMessage(uid: uids[0], in: "INBOX"), as: UTF8.self)
    let subject = "=?UTF-8?B?" + Data("Ответ на ваш вопрос".utf8).base64EncodedString() + "?="
    #expect(delivered.contains("Subject: \(subject)\r\n"))
    #expect(delivered.contains("\r\n\r\nЗдравствуйте!\r\n.точка\r\n"))
  }

  @Test func refusedRecipientsArePermanentFailures() async throws {
    let peers = try await MailPeers.shared()
    let smtp = try sender(peers)
    let message = testMessage(subject: "x", body: "x")
    let policy = await smtp.send(
      from: "a@example.org", recipients: ["x@rejected.test"], message: message)
    #expect(policy.outcome == .permanentFailure)
    #expect(policy.replyCode == 550)
    #expect(policy.replyText.contains("Recipient domain rejected"))
    let relay = await smtp.send(
      from: "a@example.org", recipients: ["x@unknown.example"], message: message)
    #expect(relay.outcome == .permanentFailure)
    #expect(relay.replyCode == 554)
    let unknownUser = await smtp.send(
      from: "a@example.org", recipients: ["nobody@\(peers.domain)"], message: message)
    #expect(unknownUser.outcome == .permanentFailure)
    #expect(unknownUser.replyCode == 550)
    await smtp.shutdown()
  }

  @Test func deferredRecipientAndWrongPassword() async throws {
    let peers = try await MailPeers.shared()
    let smtp = try sender(peers)
    let message = testMessage(subject: "x", body: "x")
    let deferred = await smtp.send(
      from: "a@example.org", recipients: ["x@deferred.test"], message: message)
    #expect(deferred.outcome == .temporaryFailure)
    #expect(deferred.replyCode == 451)
    await smtp.shutdown()

    let intruder = try sender(
      peers, credentials: CurlCredentials(user: "user5", password: "wrong"), tlsPolicy: .required)
    let denied = await intruder.send(
      from: "a@example.org", recipients: ["user5@\(peers.domain)"], message: message)
    #expect(denied.outcome == .permanentFailure)
    #expect(denied.replyCode == 535)
    await intruder.shutdown()
  }

  @Test func unreachableServerIsATemporaryFailure() async throws {
    let peers = try await MailPeers.shared()
    let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false)
    let port = try listener.localPort()
    listener.close()
    let smtp = try sender(peers, port: port)
    let result = await smtp.send(
      from: "a@example.org", recipients: ["user5@\(peers.domain)"],
      message: testMessage(subject: "x", body: "x"))
    await smtp.shutdown()
    #expect(result.outcome == .temporaryFailure)
    #expect(result.replyCode == nil)
    #expect(result.error?.isConnectionFailure == true)
  }

  @Test func invalidEnvelopeIsRefusedBeforeConnecting() async throws {
    let smtp = try CurlSMTP(configuration: CurlSMTP.Configuration(url: "smtp://127.0.0.1:1"))
    let injected = await smtp.send(
      from: "a@example.org", recipients: ["x@example.org>\r\nRCPT TO:<y@example.org"],
      message: [])
    #expect(injected.outcome == .permanentFailure)
    #expect(injected.error?.kind == .invalidRequest)
    let none = await smtp.send(from: "a@example.org", recipients: [], message: [])
    #expect(none.outcome == .permanentFailure)
    await smtp.shutdown()
  }
}
