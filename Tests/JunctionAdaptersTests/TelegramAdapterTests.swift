import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

/// Telegram webhooks: the secret token header, and every fixture normalised.
@Suite struct TelegramAdapterTests {
  static let token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
  static let secret = "Jx7_k2-Qm9Vt4pLs0aZr"

  static func adapter(
    apiBase: String = "https://api.telegram.org", extra: JSONObject = JSONObject()
  ) throws -> TelegramAdapter {
    var settings: JSONObject = [
      "bot_token": .string(token), "secret_token": .string(secret), "api_base": .string(apiBase),
    ]
    for (key, value) in extra { settings[key] = value }
    return try TelegramAdapter(
      instance: ChannelInstanceConfig(
        id: "tg", adapter: "telegram", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "https://support.example.com"))
  }

  static func request(_ body: [UInt8], secret: String? = secret, method: HTTPMethod = .post)
    -> HTTPRequest
  {
    var headers = HTTPHeaders([("Content-Type", "application/json")])
    if let secret { headers.add("X-Telegram-Bot-Api-Secret-Token", secret) }
    return HTTPRequest(
      method: method, target: "/v1/inbound/tg", headers: headers, body: body,
      pathParameters: ["channel": "tg"])
  }

  func items(_ fixture: String) throws -> [InboundItem] {
    let decision = try Self.adapter().receive(
      Self.request(try Fixtures.bytes("telegram", fixture)), now: Timestamp(unixSeconds: 0))
    guard case .ingest(let items) = decision else {
      Issue.record("\(fixture): expected ingest, got \(decision)")
      return []
    }
    return items
  }

  func message(_ fixture: String) throws -> InboundMessage {
    let items = try items(fixture)
    #expect(items.count == 1)
    guard case .message(let message) = items.first else {
      throw FixtureMismatch(fixture: fixture, items: items)
    }
    return message
  }

  struct FixtureMismatch: Error {
    var fixture: String
    var items: [InboundItem]
  }

  @Test func aPrivateTextMessage() throws {
    let message = try message("private-text.json")
    #expect(message.providerMessageId == "1111111:1365")
    #expect(
      message.sender
        == SenderProfile(
          externalId: "1111111", name: "Ana Lopez", language: "en",
          attributes: ["username": "analopez"]))
    #expect(message.threadKey == nil)
    #expect(message.text == "Hello, my order hasn't arrived yet")
    #expect(message.sentAt == Timestamp(unixSeconds: 1_795_428_000))
    #expect(message.attachments.isEmpty)
    #expect(message.replyToProviderId == nil)
    #expect(message.details["chat_type"] == "private")
  }

  @Test func escapedCyrillicAndEmojiDecode() throws {
    let message = try message("private-text-cyrillic.json")
    #expect(message.text == "Здравствуйте! Где мой заказ №4512? 🙏")
    #expect(message.sender.name == "Иван Петров")
    #expect(message.sender.language == "ru")
    #expect(message.providerMessageId == "2222222:1366")
  }

  @Test func aGroupMessageGetsItsOwnThread() throws {
    let message = try message("group-text.json")
    #expect(message.threadKey == "-1001873264519")
    #expect(message.providerMessageId == "-1001873264519:88")
    #expect(message.sender.externalId == "3333333")
    #expect(message.sender.name == "Olga")
    #expect(message.details["chat_type"] == "supergroup")
    #expect(message.details["chat_title"] == "Shop customers")
  }

  @Test func aPhotoKeepsTheLargestSizeAndTheCaption() throws {
    let message = try message("photo-caption.json")
    #expect(message.text == "The box arrived damaged")
    #expect(message.attachments.count == 1)
    let photo = try #require(message.attachments.first)
    #expect(photo.kind == "image")
    #expect(photo.providerFileId == "AgACAgIAAxkBAAIBQ2VmX1large")
    #expect(photo.size == 97_412)
    #expect(photo.contentType == "image/jpeg")
    #expect(photo.details["width"] == 1280)
    #expect(message.details["media_group_id"] == "13591245897312")
  }

  @Test func filesKeepNameTypeSizeAndFileId() throws {
    let document = try #require(try message("document.json").attachments.first)
    #expect(document.kind == "document")
    #expect(document.filename == "invoice-4512.pdf")
    #expect(document.contentType == "application/pdf")
    #expect(document.size == 48_213)
    #expect(document.providerFileId == "BQACAgIAAxkBAAIBRGVmX2doc")

    let voice = try message("voice.json")
    #expect(voice.text == nil)
    #expect(voice.attachments.first?.kind == "voice")
    #expect(voice.attachments.first?.contentType == "audio/ogg")
    #expect(voice.attachments.first?.details["duration"] == 4)

    let note = try #require(try message("video-note.json").attachments.first)
    #expect(note.kind == "video")
    #expect(note.contentType == "video/mp4")
    #expect(note.details["video_note"] == true)

    let audio = try message("audio.json")
    #expect(audio.text == "It makes this sound")
    #expect(audio.attachments.first?.kind == "audio")
    #expect(audio.attachments.first?.caption == "Ana Lopez — Noise from the washer")
    #expect(audio.attachments.first?.filename == "washer.mp3")
  }

  @Test func aStickerIsADescribedAttachment() throws {
    let message = try message("sticker.json")
    #expect(message.text == nil)
    let sticker = try #require(message.attachments.first)
    #expect(message.attachments.count == 1)
    #expect(sticker.kind == "sticker")
    #expect(sticker.caption == "👍")
    #expect(sticker.contentType == "image/webp")
    #expect(sticker.providerFileId == "CAACAgIAAxkBAAIBRmVmX4sticker")
  }

  @Test func locationsAndVenues() throws {
    let location = try #require(try message("location.json").attachments.first)
    #expect(location.kind == "location")
    #expect(location.details["latitude"] == 55.751244)
    #expect(location.details["longitude"] == 37.618423)
    #expect(location.providerFileId == nil)

    let venue = try message("venue.json")
    #expect(venue.attachments.count == 1)
    #expect(venue.attachments.first?.kind == "location")
    #expect(venue.attachments.first?.caption == "Красная площадь, 3, Москва")
    #expect(venue.attachments.first?.details["title"] == "ГУМ")
    #expect(venue.attachments.first?.details["latitude"] == 55.754702)
  }

  @Test func aSharedContact() throws {
    let contact = try #require(try message("contact.json").attachments.first)
    #expect(contact.kind == "contact")
    #expect(contact.caption == "Мария Иванова")
    #expect(contact.details["phone"] == "+79161234567")
    #expect(contact.details["name"] == "Мария Иванова")
    #expect(contact.details["user_id"] == 4_444_444)
  }

  @Test func aReplyNamesTheMessageItAnswersInTheSameChat() throws {
    let message = try message("reply.json")
    #expect(message.replyToProviderId == "1111111:1374")
    #expect(message.text == "Thanks! When will it arrive?")
  }

  @Test func anEditIsAnEditKeyedByUpdateId() throws {
    let items = try items("edited-message.json")
    guard case .edit(let edit) = items.first, items.count == 1 else {
      Issue.record("expected one edit, got \(items)")
      return
    }
    #expect(edit.providerMessageId == "1111111:1365")
    #expect(edit.editId == "829104012")
    #expect(edit.text == "Hello, my order #4512 hasn't arrived yet")
    #expect(edit.editedAt == Timestamp(unixSeconds: 1_795_428_660))
    #expect(edit.sender.externalId == "1111111")
    #expect(edit.threadKey == nil)
  }

  @Test func unsupportedContentIsKeptAndNamed() throws {
    let message = try message("poll.json")
    #expect(message.text == nil)
    #expect(message.attachments.isEmpty)
    #expect(message.details["unsupported"] == "poll")
  }

  @Test(arguments: [
    "service-new-members.json", "service-pinned.json", "service-chat-title.json",
    "bot-own-message.json", "callback-query.json", "channel-post.json",
    "my-chat-member-blocked.json",
  ])
  func serviceUpdatesAndOwnMessagesStoreNothing(_ fixture: String) throws {
    #expect(try items(fixture).isEmpty)
  }

  @Test func theSecretTokenMustMatchExactly() throws {
    let adapter = try Self.adapter()
    let body = try Fixtures.bytes("telegram", "private-text.json")
    func status(_ decision: InboundDecision) -> Int? {
      if case .reject(let response) = decision { return response.status }
      return nil
    }
    #expect(status(adapter.receive(Self.request(body), now: Timestamp(unixSeconds: 0))) == nil)
    for wrong in [nil, "", "Jx7_k2-Qm9Vt4pLs0aZs", "Jx7_k2-Qm9Vt4pLs0aZ", "jx7_k2-qm9vt4pls0azr"] {
      let decision = adapter.receive(
        Self.request(body, secret: wrong), now: Timestamp(unixSeconds: 0))
      #expect(status(decision) == 401, "secret \(wrong ?? "absent") was accepted")
    }
    var lowercased = Self.request(body, secret: nil)
    lowercased.headers.add("x-telegram-bot-api-secret-token", Self.secret)
    #expect(status(adapter.receive(lowercased, now: Timestamp(unixSeconds: 0))) == nil)
    let get = Self.request(body, method: .get)
    #expect(status(adapter.receive(get, now: Timestamp(unixSeconds: 0))) == 405)
  }

  @Test func malformedBodiesAre400AndNeverCrash() throws {
    let adapter = try Self.adapter()
    for fixture in ["private-text.json", "photo-caption.json", "venue.json", "edited-message.json"]
    {
      var body = try Fixtures.bytes("telegram", fixture)
      while body.last == UInt8(ascii: "\n") { body.removeLast() }
      for cut in 0..<body.count {
        let decision = adapter.receive(
          Self.request(Array(body[..<cut])), now: Timestamp(unixSeconds: 0))
        guard case .reject(let response) = decision else {
          Issue.record("\(fixture) cut at \(cut) was accepted")
          continue
        }
        #expect(response.status == 400)
      }
    }
    for body in [
      #"{"message": {"message_id": 1}}"#, #"{"update_id": "x"}"#,
      #"{"update_id": 1, "message": {"message_id": 1, "chat": {"id": "abc"}}}"#,
      #"{"update_id": 1, "message": {"message_id": 1, "chat": {"id": 5}, "from": {"id": 5}, "photo": [{"width": 1}]}}"#,
      #"[1, 2]"#,
    ] {
      let decision = adapter.receive(Self.request(Array(body.utf8)), now: Timestamp(unixSeconds: 0))
      guard case .reject(let response) = decision else {
        Issue.record("\(body) was accepted")
        continue
      }
      #expect(response.status == 400)
    }
  }

  @Test func settingsTelegramWouldRefuseAreRejectedAtStart() {
    for (token, secret) in [
      ("not-a-token", Self.secret), ("123456:", Self.secret), (":abc", Self.secret),
      (Self.token, "has space"), (Self.token, String(repeating: "a", count: 257)),
      (Self.token, "кириллица"),
    ] {
      #expect(throws: ChannelError.self) {
        try TelegramAdapter(
          instance: ChannelInstanceConfig(
            id: "tg", adapter: "telegram",
            settings: ChannelSettings([
              "bot_token": .string(token), "secret_token": .string(secret),
            ])), context: AdapterContext(publicURL: "https://x"))
      }
    }
  }

  @Test func capabilitiesFollowTheBotAPILimits() {
    let capabilities = TelegramAdapter.manifest.capabilities
    #expect(capabilities.maxTextLength == 4096)
    #expect(capabilities.ratePerSecond == 30)
    #expect(capabilities.ratePerRecipientPerSecond == 1)
    #expect(!capabilities.canStartConversation)
    #expect(TelegramAdapter.maxCaptionLength == 1024)
  }

  @Test func theReadmeExampleIsAValidChannelsFileWithDefaultsFilledIn() throws {
    let json = try JSON.parse(
      Array(
        #"{"channels": [{"id": "tg", "adapter": "telegram", "settings": {"bot_token": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "secret_token": "Jx7_k2-Qm9Vt4pLs0aZr"}}]}"#
          .utf8))
    let context = ConfigContext(file: "channels.json")
    let config = ChannelsConfig(
      json: json, context: context,
      specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
      adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    #expect(context.issues.isEmpty)
    let channel = try #require(config.channels.first)
    #expect(channel.settings.string("api_base") == "https://api.telegram.org")
    #expect(channel.settings.string("quote_replies") == "always")
    #expect(channel.settings.double("rate_per_second") == 30)
    _ = try TelegramAdapter(instance: channel, context: AdapterContext(publicURL: "https://x"))

    let wrong = try JSON.parse(
      Array(
        #"{"channels": [{"id": "tg", "adapter": "telegram", "settings": {"bot_token": "1:a", "secret_token": "s", "quote_replies": "sometimes", "colour": "red"}}]}"#
          .utf8))
    let wrongContext = ConfigContext(file: "channels.json")
    _ = ChannelsConfig(
      json: wrong, context: wrongContext,
      specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
      adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    let paths = wrongContext.issues.map(\.path)
    #expect(paths.contains("channels[0].settings.quote_replies"))
    #expect(paths.contains("channels[0].settings.colour"))
  }
}
