import Foundation
import JunctionChannels
import JunctionMIME
import JunctionModel
import JunctionTesting
import Testing

/// The `email` channel against real servers: mail delivered by Postfix into Dovecot, polled
/// over IMAPS by a gateway, answered by SMTP (STARTTLS, AUTH) through Postfix, read back over
/// IMAP. Fails when Dovecot or Postfix cannot start.
@Suite(.serialized) struct EmailEndToEndTests {
  @Test func aMailRoundTripThreadsByReferencesAndToken() async throws {
    let rig = try await EmailRig(support: "user8")
    let port = try await freeLoopbackPort()
    let harness = try rig.harness(port: port)
    defer { harness.stop() }
    let client = harness.client()

    let invoice = Array("%PDF-1.4 счёт".utf8)
    let first = try rig.customerMail(
      from: "user9", name: "Иван Петров", subject: "Вопрос о заказе №42",
      text: "Здравствуйте! Где мой заказ?\n\n-- \nИван",
      attachments: [
        MailBuilder.Attachment(
          filename: "Счёт на оплату №42 от 1 марта.pdf", contentType: "application/pdf",
          data: invoice)
      ])
    try await rig.deliver(first.bytes, from: rig.address("user9"), to: rig.address("user8"))

    let received = try #require(try harness.waitFor("message.received").first)
    let conversation = try #require(received["conversation_id"]?.stringValue)
    let message = try #require(received["data"]?["message"])
    #expect(message["provider_message_id"]?.stringValue == first.messageID)
    #expect(message["text"] == "Здравствуйте! Где мой заказ?")
    #expect(message["details"]?["subject"] == "Вопрос о заказе №42")
    #expect(received["data"]?["contact"]?["name"] == "Иван Петров")
    #expect(received["data"]?["contact"]?["email"]?.stringValue == rig.address("user9"))
    let files = message["attachments"]?.arrayValue ?? []
    #expect(
      files.map { $0["filename"]?.stringValue } == [
        "Счёт на оплату №42 от 1 марта.pdf", "message.eml",
      ])
    let blob = try #require(files.first?["blob_id"]?.stringValue)
    let download = try harness.get(client, "/v1/attachments/\(blob)")
    #expect(download.status == 200)
    #expect(download.body == invoice)

    // A helpdesk reply with a Cyrillic file, sent through Postfix to the customer.
    let upload = try client.request(
      "POST", "/v1/attachments?filename=%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.txt",
      headers: [
        ("Authorization", "Bearer \(GatewayHarness.writeToken)"), ("Content-Type", "text/plain"),
      ], body: Array("Договор".utf8))
    let uploaded = try #require(upload.json["blob_id"]?.stringValue)
    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      [
        "text": "Добрый день!\n\nЗаказ в пути.", "author": "agent-7",
        "attachments": [["blob_id": .string(uploaded), "filename": "договор.txt"]],
      ])
    #expect(reply.status == 202)
    let sent = try #require(try harness.waitFor("message.sent").first)
    let replyID = try #require(sent["data"]?["provider_message_id"]?.stringValue)

    let answer = try await rig.receive("user9").mail
    let token = MailThreadToken.make(conversationId: conversation)
    #expect(answer.messageID == replyID)
    #expect(answer.subject == "Re: Вопрос о заказе №42 [#\(token)]")
    #expect(answer.inReplyTo == [first.messageID])
    #expect(answer.references == [first.messageID])
    #expect(answer.from.first?.name == "Служба поддержки")
    #expect(answer.replyTo.first?.address == rig.address("user8"))
    #expect(answer.text?.contains("Заказ в пути.") == true)
    #expect(answer.html?.contains("<p>Заказ в пути.</p>") == true)
    #expect(answer.attachments.map(\.filename) == ["договор.txt"])
    #expect(answer.attachments.first?.data == Array("Договор".utf8))
    #expect(answer.headers["Auto-Submitted"] == nil)

    // A colleague answers the reply from another address: it joins by References.
    let followUp = try rig.customerMail(
      from: "user10", name: "Пётр", subject: "Re: " + (answer.subject ?? ""),
      text: "Спасибо!\n\nOn Mon, 1 Mar 2027 at 10:00, Служба поддержки wrote:\n> Заказ в пути.",
      inReplyTo: replyID, references: [first.messageID, replyID])
    try await rig.deliver(followUp.bytes, from: rig.address("user10"), to: rig.address("user8"))
    // And a third address with only the token in the subject.
    let tokenOnly = try rig.customerMail(
      from: "user11", name: "Анна", subject: "Ещё вопрос [#\(token)]", text: "А счёт?")
    try await rig.deliver(tokenOnly.bytes, from: rig.address("user11"), to: rig.address("user8"))

    let all = try harness.waitFor("message.received", count: 3)
    #expect(all.count == 3)
    #expect(all.allSatisfy { $0["conversation_id"]?.stringValue == conversation })
    #expect(all.dropFirst().first?["data"]?["message"]?["text"] == "Спасибо!")
    let created = try harness.waitFor("conversation.created")
    #expect(created.count == 1)
  }

  @Test func aRestartBetweenPollsLosesAndDuplicatesNothing() async throws {
    let rig = try await EmailRig(support: "user14")
    let folder = "Обработано"
    let harness = try rig.harness(processedFolder: folder)
    defer { harness.stop() }
    let first = try rig.customerMail(from: "user15", name: "Ольга", subject: "Первое", text: "1")
    try await rig.deliver(first.bytes, from: rig.address("user15"), to: rig.address("user14"))
    _ = try harness.waitFor("message.received")
    _ = try harness.waitFor("mailbox.advanced")

    harness.gateway.shutdown()
    let second = try rig.customerMail(from: "user15", name: "Ольга", subject: "Второе", text: "2")
    try await rig.deliver(second.bytes, from: rig.address("user15"), to: rig.address("user14"))
    let session = rig.peers.imapSession("user14")
    defer { Task { await session.disconnect() } }
    _ = try await rig.peers.waitForMessage(session)
    harness.gateway = try GatewayHarness.makeGateway(harness.configuration, data: harness.data)
    try harness.gateway.start()

    let received = try harness.waitFor("message.received", count: 2)
    try await Task.sleep(for: .seconds(1))
    let settled = try harness.waitFor("message.received", count: 2)
    #expect(received.count == 2)
    #expect(settled.count == 2)
    #expect(
      settled.compactMap { $0["data"]?["message"]?["provider_message_id"]?.stringValue }
        == [first.messageID, second.messageID])
    let advances = try harness.waitFor("mailbox.advanced", count: 2)
    #expect(advances.compactMap { $0["data"]?["last_uid"]?.intValue } == [1, 2])
    // A fresh session: an open one learns of another session's expunges only later.
    let fresh = rig.peers.imapSession("user14")
    defer { Task { await fresh.disconnect() } }
    #expect(try await fresh.searchUIDs(in: "INBOX", criteria: "ALL").isEmpty)
    #expect(try await fresh.searchUIDs(in: folder, criteria: "ALL").count == 2)
    let metrics = String(
      decoding: try harness.client().request("GET", "/metrics").body, as: UTF8.self)
    #expect(metrics.contains(#"junction_mailbox_polls_total{channel="mail",result="error"} 0"#))
  }

  @Test func smtpRefusalsAndABounceFailTheReply() async throws {
    let rig = try await EmailRig(support: "user12")
    let harness = try rig.harness()
    defer { harness.stop() }
    let client = harness.client()
    let customer = try rig.customerMail(
      from: "user13", name: "Олег", subject: "Тест", text: "Привет")
    try await rig.deliver(customer.bytes, from: rig.address("user13"), to: rig.address("user12"))
    for sender in ["ghost@rejected.test", "late@deferred.test"] {
      var builder = MailBuilder(
        from: MailAddress(sender), to: [MailAddress(rig.address("user12"))], subject: sender)
      builder.text = "hello"
      try await rig.deliver(try builder.build().bytes, from: sender, to: rig.address("user12"))
    }
    let received = try harness.waitFor("message.received", count: 3)
    func conversation(of sender: String) -> String? {
      received.first { $0["data"]?["contact"]?["email"]?.stringValue == sender }?[
        "conversation_id"]?.stringValue
    }
    for sender in [rig.address("user13"), "ghost@rejected.test", "late@deferred.test"] {
      let id = try #require(conversation(of: sender))
      let reply = try harness.postAPI(
        client, "POST", "/v1/conversations/\(id)/messages", ["text": "Ответ"])
      #expect(reply.status == 202)
    }
    let failed = try harness.waitFor("message.failed")
    #expect(failed.first?["data"]?["error"]?["code"] == "smtp_550")
    #expect(
      failed.first?["conversation_id"]?.stringValue == conversation(of: "ghost@rejected.test"))
    #expect(try harness.waitFor("contact.unreachable").count == 1)
    let retrying = try harness.waitFor("message.retrying")
    #expect(retrying.first?["data"]?["error"]?["code"] == "smtp_451")

    // The reply that was accepted bounces later: Postfix-style DSN naming its Message-ID.
    let sent = try #require(try harness.waitFor("message.sent").first)
    let replyID = try #require(sent["data"]?["provider_message_id"]?.stringValue)
    try await rig.deliver(
      dsn(for: replyID, to: rig.address("user12")), from: "MAILER-DAEMON@junction.test",
      to: rig.address("user12"))
    let bounced = try harness.waitFor("message.failed", count: 2)
    let bounce = try #require(bounced.last)
    #expect(bounce["data"]?["message_id"] == sent["data"]?["message_id"])
    #expect(bounce["data"]?["error"]?["code"] == "bounced")
    #expect(bounce["data"]?["error"]?["status"] == "5.1.1")
    #expect(try harness.waitFor("message.received", count: 3).count == 3)
  }

  @Test func anUnreachableMailboxBacksOffAndShowsInHealthAndMetrics() async throws {
    let rig = try await EmailRig(support: "user16")
    let closed = try await freeLoopbackPort()
    let harness = try rig.harness(imapPort: closed)
    defer { harness.stop() }
    let client = harness.client()
    var health = try client.request("GET", "/healthz")
    let deadline = Date().addingTimeInterval(20)
    while health.json["problems"]?["mailbox:mail"] == nil && Date() < deadline {
      try await Task.sleep(for: .milliseconds(100))
      health = try client.request("GET", "/healthz")
    }
    #expect(health.status == 200)
    #expect(health.json["status"] == "degraded")
    #expect(health.json["problems"]?["mailbox:mail"]?.stringValue?.contains("connection") == true)
    #expect(health.json["details"]?["mailbox:mail"]?["consecutive_failures"]?.intValue ?? 0 >= 1)
    let metrics = String(decoding: try client.request("GET", "/metrics").body, as: UTF8.self)
    #expect(metrics.contains(#"junction_mailbox_polls_total{channel="mail",result="error"}"#))
    #expect(metrics.contains(#"junction_mailbox_consecutive_failures{channel="mail"} 1"#))
  }

  /// A delivery status notification as Postfix writes it, for the reply `messageID`.
  func dsn(for messageID: String, to: String) -> [UInt8] {
    let text = """
      From: MAILER-DAEMON@junction.test (Mail Delivery System)
      To: \(to)
      Subject: Undelivered Mail Returned to Sender
      Message-ID: <\(UUID().uuidString)@mx.junction.test>
      Auto-Submitted: auto-replied
      MIME-Version: 1.0
      Content-Type: multipart/report; report-type=delivery-status;
      \tboundary="4C1E2A3B.1700000000/mx.junction.test"

      --4C1E2A3B.1700000000/mx.junction.test
      Content-Description: Notification
      Content-Type: text/plain; charset=us-ascii

      This is the mail system at host mx.junction.test.

      I'm sorry to have to inform you that your message could not
      be delivered to one or more recipients.

      <user13@junction.test>: host mx.example.net said: 550 5.1.1 User unknown

      --4C1E2A3B.1700000000/mx.junction.test
      Content-Description: Delivery report
      Content-Type: message/delivery-status

      Reporting-MTA: dns; mx.junction.test
      X-Postfix-Queue-ID: 4C1E2A3B
      Arrival-Date: Tue, 24 Nov 2026 10:00:00 +0000 (UTC)

      Final-Recipient: rfc822; user13@junction.test
      Original-Recipient: rfc822;user13@junction.test
      Action: failed
      Status: 5.1.1
      Remote-MTA: dns; mx.example.net
      Diagnostic-Code: smtp; 550 5.1.1 <user13@junction.test>: Recipient address
          rejected: User unknown

      --4C1E2A3B.1700000000/mx.junction.test
      Content-Description: Undelivered Message Headers
      Content-Type: text/rfc822-headers

      From: support@junction.test
      To: user13@junction.test
      Subject: Re: Test
      Message-ID: <\(messageID)>

      --4C1E2A3B.1700000000/mx.junction.test--

      """
    return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
  }
}
