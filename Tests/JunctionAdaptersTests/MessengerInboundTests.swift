import JunctionChannels
import JunctionModel
import Testing

@testable import JunctionAdapters

/// Every Messenger fixture (shapes of Meta's webhook event reference) → normalised items.
@Suite struct MessengerInboundTests {
  static let psid = "6783529261686247"
  static let sentMid = "m_S3ntM1dAbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRs"

  func items(_ fixture: String, adapter: MessengerAdapter? = nil) throws -> [InboundItem] {
    let adapter = try adapter ?? MetaTest.messenger()
    return MetaTest.items(
      adapter.receive(
        MetaTest.signed(try Fixtures.bytes("messenger", fixture), channel: "fb"),
        now: MetaTest.now))
  }

  func message(_ fixture: String) throws -> InboundMessage {
    let items = try items(fixture)
    #expect(items.count == 1)
    return try #require(MetaTest.messages(items).first)
  }

  @Test func aTextMessageWithAQuickReply() throws {
    #expect(
      try items("text.json") == [
        .message(
          InboundMessage(
            providerMessageId:
              "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
            sender: SenderProfile(externalId: Self.psid), text: "Hi! Do you ship to Berlin?",
            sentAt: Timestamp(millis: 1_749_416_383_112),
            details: ["quick_reply_payload": "SHIPPING_QUESTION"]))
      ])
  }

  @Test func aReplyNamesTheMessageItAnswers() throws {
    let message = try message("reply.json")
    #expect(message.replyToProviderId == "m_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU")
    #expect(message.text == "Yes, this one")
  }

  @Test func attachmentsByKind() throws {
    let image = try message("attachment-image.json")
    #expect(image.text == nil)
    #expect(image.attachments.map(\.kind) == ["image"])
    #expect(image.attachments.first?.url?.hasPrefix("https://scontent.xx.fbcdn.net/") == true)
    let mixed = try message("attachments-mixed.json")
    #expect(mixed.text == "Here is the receipt and a voice note")
    #expect(mixed.attachments.map(\.kind) == ["document", "audio", "video"])
    #expect(mixed.attachments.first?.filename == "448312345_receipt.pdf")
  }

  @Test func aStickerSentTwiceDuringTheTransitionIsOneSticker() throws {
    let message = try message("sticker-transition.json")
    #expect(message.attachments.map(\.kind) == ["sticker"])
    #expect(message.attachments.first?.details["sticker_id"] == 369_239_263_222_822)
  }

  @Test func linksAndLocations() throws {
    let link = try message("fallback-link.json")
    #expect(link.attachments.first?.kind == "link")
    #expect(link.attachments.first?.caption == "Blue kettle — Example Store")
    #expect(link.attachments.first?.url == "https://www.example.com/products/42")
    let location = try #require(try message("location.json").attachments.first)
    #expect(location.kind == "location")
    #expect(location.details["latitude"] == .double(52.520008))
    #expect(location.details["longitude"] == .double(13.404954))
    #expect(location.caption == "Pinned Location")
  }

  @Test func echoesAndStandbyAreIgnored() throws {
    #expect(try items("echo.json").isEmpty)
    #expect(try items("standby.json").isEmpty)
    // Policy enforcement (no sender), reactions, opt-ins, handover and referrals.
    #expect(try items("ignored-events.json").isEmpty)
  }

  @Test func anEditIsAnEditNotANewMessage() throws {
    let mid =
      "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"
    #expect(
      try items("message-edit.json") == [
        .edit(
          InboundEdit(
            providerMessageId: mid, editId: "\(mid)#edit-1",
            sender: SenderProfile(externalId: Self.psid), text: "Hi! Do you ship to Munich?",
            editedAt: Timestamp(millis: 1_749_416_480_000)))
      ])
  }

  @Test func aDeliveryNamesItsMids() throws {
    #expect(
      try items("delivery.json") == [
        .status(
          DeliveryStatusUpdate(
            providerMessageId: Self.sentMid, status: .delivered,
            at: Timestamp(millis: 1_749_416_400_900), dedupeKey: "\(Self.sentMid):delivered"))
      ])
  }

  @Test func readAndWatermarkOnlyReceiptsUseWhatThisProcessSent() throws {
    let adapter = try MetaTest.messenger()
    #expect(try items("read.json", adapter: adapter).isEmpty, "nothing sent, nothing to mark")
    adapter.ledger.record(mid: "m_early", recipient: Self.psid, at: 1_749_416_400_000)
    adapter.ledger.record(mid: "m_late", recipient: Self.psid, at: 1_749_416_460_300)
    adapter.ledger.record(mid: "m_other", recipient: "999", at: 1_749_416_400_000)
    let read = MetaTest.statuses(try items("read.json", adapter: adapter))
    #expect(read.map(\.providerMessageId) == ["m_early"])
    #expect(read.map(\.status) == [.read])
    #expect(read.first?.at == Timestamp(millis: 1_749_416_460_253))
    let delivered = MetaTest.statuses(try items("delivery-watermark-only.json", adapter: adapter))
    #expect(delivered.map(\.providerMessageId) == ["m_early"])
    #expect(delivered.map(\.status) == [.delivered])
  }

  @Test func theLedgerIsBounded() throws {
    let ledger = MessengerSendLedger()
    for index in 0..<(MessengerSendLedger.perRecipient + 10) {
      ledger.record(mid: "m\(index)", recipient: "p", at: Int64(index))
    }
    let kept = ledger.sent(to: "p", upTo: .max)
    #expect(kept.count == MessengerSendLedger.perRecipient)
    #expect(kept.first == "m10")
    ledger.record(mid: "fresh", recipient: "p", at: MessengerSendLedger.maxAge + 100)
    #expect(ledger.sent(to: "p", upTo: .max) == ["fresh"])
  }

  @Test func aPostbackIsTextWithItsPayload() throws {
    let message = try message("postback.json")
    #expect(message.text == "Talk to a human")
    #expect(
      message.providerMessageId
        == "m_P0stb4ckM1dAbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNo")
    #expect(message.details["postback"]?["payload"] == "HUMAN_HANDOFF")
  }

  @Test func aBatchOfEntriesIsEveryItem() throws {
    let items = try items("batch-entries.json")
    #expect(items.count == 3)
    let messages = MetaTest.messages(items)
    #expect(messages.map(\.sender.externalId) == [Self.psid, "7012548839254301"])
    #expect(messages.map(\.text) == ["First question", "Привет! Заказ не пришёл"])
    #expect(MetaTest.statuses(items).map(\.providerMessageId) == [Self.sentMid])
  }

  @Test func otherPagesAreSkippedWhenThePageIsConfigured() throws {
    let mine = try MetaTest.messenger(extra: ["page_id": "107021588813337"])
    #expect(try items("text.json", adapter: mine).count == 1)
    let other = try MetaTest.messenger(extra: ["page_id": "1"])
    #expect(try items("text.json", adapter: other).isEmpty)
  }

  @Test(arguments: ["batch-entries.json", "attachments-mixed.json", "postback.json"])
  func everyStructuralMutationIsRejectedOrTolerated(_ fixture: String) throws {
    let adapter = try MetaTest.messenger()
    let json = try JSON.parse(try Fixtures.bytes("messenger", fixture))
    for variant in MetaTest.mutations(of: json) {
      switch adapter.receive(
        MetaTest.signed(variant.serialized(), channel: "fb"), now: MetaTest.now)
      {
      case .ingest: break
      case .reject(let response): #expect(response.status == 400)
      case .respond: Issue.record("a POST never gets a plain response")
      }
    }
  }
}
