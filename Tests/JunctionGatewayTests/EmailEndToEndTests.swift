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
}
