import JunctionModel
import Testing

@Suite struct ModelTests {
  let now = Timestamp(millis: 1_795_428_000_000)

  @Test func messageRoundTripsThroughJSON() throws {
    let message = Message(
      id: "msg_1", conversationId: "conv_1", contactId: "ct_1", channel: "api-main",
      direction: .inbound, providerMessageId: "m-1", text: "Привет",
      attachments: [Attachment(kind: "image", url: "https://x/y.png", contentType: "image/png")],
      sentAt: now, createdAt: now, status: .received, details: ["subject": "hi"])
    #expect(try Message(json: try JSON.parse(message.json.serialized())) == message)
  }

  @Test func contactAndConversationRoundTrip() throws {
    let contact = Contact(
      id: "ct_1", name: "Ann", phone: "+79161234567",
      identities: [ContactIdentity(channel: "tg", externalId: "42")], attributes: ["vip": true],
      createdAt: now, optedOut: ["sms"])
    #expect(try Contact(json: contact.json) == contact)
    let conversation = Conversation(
      id: "conv_1", contactId: "ct_1", channel: "tg", queue: "billing", priority: 5,
      tags: ["refund"], createdAt: now, updatedAt: now, lastInboundAt: now, messageCount: 3)
    #expect(try Conversation(json: conversation.json) == conversation)
  }

  @Test func fieldErrorsNameThePath() {
    let json: JSON = ["from": ["id": 5, "name": ["x"]]]
    #expect(throws: FieldError(path: "from.name", message: "expected a string, found array")) {
      try FieldReader(json).object("from").optionalString("name")
    }
    #expect(throws: FieldError(path: "id", message: "is required")) {
      try FieldReader(json).string("id")
    }
    #expect(throws: FieldError(path: "list[1]", message: "expected a string, found number")) {
      try FieldReader(["list": ["a", 2]]).strings("list")
    }
  }

  @Test func eventStoredBytesSpliceIntoTheEnvelope() throws {
    let event = Event(
      id: "evt_1", type: "message.received", at: now, conversationId: "conv_1",
      data: ["message_id": "msg_1"])
    let envelope = Event.envelope(offset: 42, storedBytes: event.storedBytes())
    let json = try JSON.parse(envelope)
    #expect(json["offset"] == .int(42))
    #expect(json["type"] == .string("message.received"))
    #expect(json["data"]?["message_id"] == .string("msg_1"))
    let back = try Event(storedBytes: event.storedBytes(), offset: 42)
    var expected = event
    expected.offset = 42
    #expect(back == expected)
  }

  @Test func deliveryStatusesOnlyMoveForward() {
    #expect(DeliveryStatus.queued.canAdvance(to: .sent))
    #expect(DeliveryStatus.sent.canAdvance(to: .read))
    #expect(!DeliveryStatus.read.canAdvance(to: .delivered))
    #expect(!DeliveryStatus.failed.canAdvance(to: .sent))
    #expect(DeliveryStatus.sent.canAdvance(to: .failed))
    #expect(!DeliveryStatus.delivered.canAdvance(to: .failed))
  }
}
