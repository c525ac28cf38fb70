import Foundation
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Inbound attachments are copied into Junction's blob store; replies can attach stored files.
@Suite(.serialized) struct AttachmentsTests {
  static let pdf = Array("%PDF-1.4 квитанция \(String(repeating: "x", count: 5000))".utf8)

  @Test func anInboundAttachmentIsStoredAndServedToHelpdesks() throws {
    let files = try StandInServer { request in
      request.path == "/receipt.pdf"
        ? StandInReply(
          HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/pdf")]),
            body: AttachmentsTests.pdf))
        : .status(404)
    }
    defer { files.stop() }
    let harness = try GatewayHarness()
    defer { harness.stop() }
    let client = harness.client()
    let posted = try harness.post(
      client,
      [
        "id": "m-1", "from": ["id": "u-1"],
        "attachments": [
          ["url": .string(files.url + "/receipt.pdf"), "filename": "квитанция.pdf"],
          ["url": .string(files.url + "/gone.png"), "content_type": "image/png"],
        ],
      ])
    #expect(posted.status == 200)
    let conversation = try #require(posted.json["conversation_id"]?.stringValue)
    try harness.waitForEvents(client, type: "attachment.failed")
    let events = try harness.waitForEvents(client, type: "attachment.stored")
    let stored = try #require(events.first { $0["type"] == "attachment.stored" })
    #expect(stored["data"]?["index"] == 0)
    let blobId = try #require(stored["data"]?["blob"]?["id"]?.stringValue)
    #expect(stored["data"]?["blob"]?["size"]?.intValue == Int64(Self.pdf.count))
    let failed = try #require(events.first { $0["type"] == "attachment.failed" })
    #expect(failed["data"]?["index"] == 1)
    #expect(failed["data"]?["error"]?["code"] == "http_404")

    let file = try harness.get(client, "/v1/attachments/\(blobId)")
    #expect(file.status == 200)
    #expect(file.body == Self.pdf)
    #expect(file.header("Content-Type") == "application/pdf")
    #expect(file.header("Content-Disposition")?.contains("filename*=UTF-8''") == true)
    let view = try harness.get(client, "/v1/conversations/\(conversation)")
    let attachments = view.json["messages"]?[0]?["attachments"]?.arrayValue ?? []
    #expect(attachments.first?["blob_id"]?.stringValue == blobId)
    #expect(
      try harness.get(client, "/v1/attachments/\(blobId)", token: "nope-nope-nope-nope").status
        == 401)
    #expect(
      try harness.get(client, "/v1/attachments/" + String(repeating: "0", count: 64)).status == 404)
  }

  @Test func aReplyCanAttachAnUploadedFileThroughASignedLink() throws {
    let provider = try StandInServer()
    defer { provider.stop() }
    let harness = try GatewayHarness(outboundURL: provider.url + "/out")
    defer { harness.stop() }
    let client = harness.client()
    let conversation = try harness.customerMessage(
      client, id: "m-1", from: "u-1", "send the invoice")
    let upload = try client.request(
      "POST", "/v1/attachments?filename=invoice.pdf",
      headers: [
        ("Authorization", "Bearer \(GatewayHarness.writeToken)"),
        ("Content-Type", "application/pdf"),
      ], body: Self.pdf)
    #expect(upload.status == 201)
    let blobId = try #require(upload.json["blob_id"]?.stringValue)
    let reply = try harness.postAPI(
      client, "POST", "/v1/conversations/\(conversation)/messages",
      ["text": "here it is", "attachments": [["blob_id": .string(blobId)]]])
    #expect(reply.status == 202)
    let sent = provider.waitForRequests(1)
    let attachment = try #require(sent.first?.json["attachments"]?[0])
    #expect(attachment["filename"] == "invoice.pdf")
    #expect(attachment["content_type"] == "application/pdf")
    let link = try #require(attachment["url"]?.stringValue)
    let components = try #require(URLComponents(string: link))
    let path = components.path + "?" + (components.query ?? "")
    let fetched = try client.request("GET", path)
    #expect(fetched.status == 200)
    #expect(fetched.body == Self.pdf)
    let forged = try client.request(
      "GET", path.replacingOccurrences(of: "signature=", with: "signature=0"))
    #expect(forged.status == 403)
  }
}
