import JunctionChannels
import JunctionModel
import Testing

@testable import JunctionAdapters

/// Every WhatsApp fixture (shapes of Meta's messages webhook reference) → normalised items.
@Suite struct WhatsAppInboundTests {
  func items(_ fixture: String) throws -> [InboundItem] {
    let adapter = try MetaTest.whatsapp()
    return MetaTest.items(
      adapter.receive(
        MetaTest.signed(try Fixtures.bytes("whatsapp", fixture)), now: MetaTest.now))
  }

  func message(_ fixture: String) throws -> InboundMessage {
    let items = try items(fixture)
    #expect(items.count == 1)
    return try #require(MetaTest.messages(items).first)
  }

  static let sheena = SenderProfile(
    externalId: "16505551234", name: "Sheena Nelson", phone: "+16505551234",
    attributes: ["wa_id": "16505551234"])

  @Test func aTextMessage() throws {
    #expect(
      try items("text.json") == [
        .message(
          InboundMessage(
            providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
            sender: Self.sheena, text: "Does it come in another color?",
            sentAt: Timestamp(unixSeconds: 1_749_416_383), details: ["type": "text"]))
      ])
  }

  @Test func anImageWithCaption() throws {
    let message = try message("image-caption.json")
    #expect(message.text == "This is the broken part")
    #expect(message.sender == Self.sheena)
    #expect(
      message.attachments == [
        Attachment(
          kind: "image", contentType: "image/jpeg", providerFileId: "1003383421387256",
          details: ["sha256": "4WnUDgBtRwmTvqEXhkG0B1X1wz8e1wvJmXmF0aR7g0E="])
      ])
  }

  @Test func aDocumentKeepsItsFilename() throws {
    let message = try message("document.json")
    #expect(message.text == "Invoice for March")
    let attachment = try #require(message.attachments.first)
    #expect(attachment.kind == "document")
    #expect(attachment.filename == "invoice-2025-03.pdf")
    #expect(attachment.contentType == "application/pdf")
    #expect(attachment.providerFileId == "1577394983226876")
  }

  @Test func voiceVideoAndSticker() throws {
    let voice = try message("audio-voice.json")
    #expect(voice.text == nil)
    #expect(voice.attachments.map(\.kind) == ["voice"])
    #expect(voice.attachments.first?.contentType == "audio/ogg; codecs=opus")
    let video = try message("video.json")
    #expect(video.attachments.map(\.kind) == ["video"])
    #expect(video.text == "How it rattles")
    let sticker = try message("sticker.json")
    #expect(sticker.attachments.map(\.kind) == ["sticker"])
    #expect(sticker.attachments.first?.details["animated"] == false)
    #expect(sticker.attachments.first?.providerFileId == "1277485206626024")
  }

  @Test func aLocationIsADescribedAttachment() throws {
    let attachment = try #require(try message("location.json").attachments.first)
    #expect(attachment.kind == "location")
    #expect(attachment.caption == "Main Campus, 1 Hacker Way, Menlo Park, CA 94025")
    #expect(attachment.details["latitude"] == .double(37.483307))
    #expect(attachment.details["longitude"] == .double(-122.148981))
    #expect(attachment.details["url"] == "https://www.facebook.com")
  }

  @Test func sharedContactsKeepTheCard() throws {
    let attachment = try #require(try message("contacts.json").attachments.first)
    #expect(attachment.kind == "contact")
    #expect(attachment.caption == "Barbara J. Johnson")
    #expect(attachment.details["phones"]?[0]?["wa_id"] == "16505551234")
  }

  @Test func interactiveRepliesAreTheirTitle() throws {
    let button = try message("interactive-button-reply.json")
    #expect(button.text == "Change")
    #expect(button.details["interactive"]?["id"] == "change-button")
    #expect(
      button.replyToProviderId == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI1RjEwQTEzNzk1NUE2QjdBOTAA")
    let list = try message("interactive-list-reply.json")
    #expect(list.text == "Express Shipping")
    #expect(list.details["interactive"]?["description"] == "Next Day to 2 Days")
    let quick = try message("button-quick-reply.json")
    #expect(quick.text == "Stop promotions")
    #expect(quick.details["button"]?["payload"] == "Unsubscribe")
  }

  @Test func aReplyNamesTheQuotedMessage() throws {
    let message = try message("reply-context.json")
    #expect(message.text == "Yes, that one please")
    #expect(
      message.replyToProviderId == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI4MTQzRDQ2QTg4OEQ5RUFEQzMA")
  }

  @Test func reactionsAreDescribedAndRemovalsIgnored() throws {
    let reaction = try message("reaction.json")
    #expect(reaction.text == "👍")
    #expect(
      reaction.replyToProviderId == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI4MTQzRDQ2QTg4OEQ5RUFEQzMA")
    #expect(reaction.details["reaction"]?["emoji"] == "👍")
    #expect(try items("reaction-removed.json").isEmpty)
  }

  @Test func unsupportedMessagesAreShownNotDropped() throws {
    let message = try message("unsupported.json")
    #expect(
      message.text
        == "[unsupported WhatsApp message: Message type unknown (Message type is currently not supported.)]"
    )
    #expect(message.details["errors"]?[0]?["code"] == 131051)
  }

  @Test func systemNoticesOtherFieldsAndOtherNumbersCarryNothing() throws {
    #expect(try items("system.json").isEmpty)
    #expect(try items("template-status-update.json").isEmpty)
    #expect(try items("other-number.json").isEmpty)
  }

  @Test func aBatchOfTwoMessagesIsTwoItemsWithTheirOwnSenders() throws {
    let messages = MetaTest.messages(try items("batch-two-messages.json"))
    #expect(messages.count == 2)
    #expect(messages.map(\.sender.name) == ["Sheena Nelson", "Иван Петров"])
    #expect(messages.map(\.sender.phone) == ["+16505551234", "+79161234567"])
    #expect(messages.map(\.text) == ["Is the store open today?", "Где мой заказ?"])
  }

  @Test func statusesBecomeDeliveryUpdatesKeyedByWamid() throws {
    let wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJEQjJDNzVGMjE0RkIyMDg4QTQA"
    for (fixture, status, seconds) in [
      ("status-sent.json", DeliveryStatus.sent, 1_749_416_600),
      ("status-delivered.json", .delivered, 1_749_416_601),
      ("status-read.json", .read, 1_749_416_700),
    ] as [(String, DeliveryStatus, Int64)] {
      #expect(
        try items(fixture) == [
          .status(
            DeliveryStatusUpdate(
              providerMessageId: wamid, status: status,
              at: Timestamp(unixSeconds: seconds), dedupeKey: "\(wamid):\(status.rawValue)"))
        ])
    }
  }

  @Test func aFailedStatusCarriesTheErrorAndTheReengagementNote() throws {
    let status = try #require(MetaTest.statuses(try items("status-failed.json")).first)
    #expect(status.status == .failed)
    #expect(
      status.providerMessageId == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5NUU1RTlGMDhCRTQxMjM1QjgA")
    #expect(status.error?["code"] == "outside_reply_window")
    #expect(status.error?["provider_code"] == "131047")
    #expect(
      status.error?["message"]?.stringValue?.hasPrefix("Re-engagement message (Message failed")
        == true)
    #expect(status.error?["note"]?.stringValue?.contains("template") == true)
    let undeliverable = try #require(
      MetaTest.statuses(try items("status-failed-undeliverable.json")).first)
    #expect(undeliverable.error?["code"] == "undeliverable")
    #expect(undeliverable.error?["note"] == nil)
  }

  @Test func aMessageAndStatusesInOneWebhook() throws {
    let items = try items("message-and-status-batch.json")
    #expect(items.count == 3)
    #expect(MetaTest.messages(items).map(\.text) == ["Thanks, got it!"])
    #expect(MetaTest.statuses(items).map(\.status) == [.delivered, .read])
  }

  @Test func malformedItemsNameTheFieldAtFault() throws {
    let adapter = try MetaTest.whatsapp()
    let cases: [(String, String)] = [
      (
        #"{"object":"whatsapp_business_account","entry":{}}"#,
        "entry: expected an array, found object"
      ),
      (
        #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"1","type":"text","text":{"body":"x"}}]}}]}]}"#,
        "entry[0].changes[0].value.messages[0].id: is required"
      ),
      (
        #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"w","from":"1","timestamp":"soon","type":"text","text":{"body":"x"}}]}}]}]}"#,
        "entry[0].changes[0].value.messages[0].timestamp: expected Unix seconds"
      ),
      (
        #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"w","from":"1","type":"location","location":{"latitude":1}}]}}]}]}"#,
        "entry[0].changes[0].value.messages[0].location.longitude: is required"
      ),
    ]
    for (body, message) in cases {
      let decision = adapter.receive(MetaTest.signed(Array(body.utf8)), now: MetaTest.now)
      guard case .reject(let response) = decision else {
        Issue.record("expected a rejection for \(body)")
        continue
      }
      #expect(response.status == 400)
      #expect(try JSON.parse(response.body)["error"]?["message"]?.stringValue == message)
    }
  }

  @Test func arbitraryTruncationsNeverCrash() throws {
    let adapter = try MetaTest.whatsapp()
    let body = try Fixtures.bytes("whatsapp", "message-and-status-batch.json")
    for length in stride(from: 0, to: body.count, by: 7)
    where (try? JSON.parse(Array(body.prefix(length)))) == nil {
      let decision = adapter.receive(MetaTest.signed(Array(body.prefix(length))), now: MetaTest.now)
      #expect(MetaTest.rejection(decision)?.0 == 400)
    }
  }

  @Test(arguments: [
    "message-and-status-batch.json", "contacts.json", "interactive-list-reply.json",
  ])
  func everyStructuralMutationIsRejectedOrTolerated(_ fixture: String) throws {
    let adapter = try MetaTest.whatsapp()
    let json = try JSON.parse(try Fixtures.bytes("whatsapp", fixture))
    for variant in MetaTest.mutations(of: json) {
      let decision = adapter.receive(MetaTest.signed(variant.serialized()), now: MetaTest.now)
      switch decision {
      case .ingest: break
      case .reject(let response): #expect(response.status == 400)
      case .respond: Issue.record("a POST never gets a plain response")
      }
    }
  }

  @Test func e164OnlyForPhoneShapedIds() {
    #expect(WhatsAppAdapter.e164(waId: "79161234567") == "+79161234567")
    #expect(WhatsAppAdapter.e164(waId: "+79161234567") == nil)
    #expect(WhatsAppAdapter.e164(waId: "123") == nil)
    #expect(WhatsAppAdapter.e164(waId: "US.13491208655302741918") == nil)
  }
}
