import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

/// VK Callback API events: the secret, the confirmation handshake, the `ok` answer, and
/// every fixture normalised.
@Suite struct VKAdapterTests {
  static let secret = "Kx9mQ2vLp7RtW4zY"
  static let token = "vk1.a.Qm9ja0FjY2Vzc1Rva2VuRm9yVGVzdHM"
  static let groupId: Int64 = 219_875_432

  static func adapter(
    apiBase: String = "https://api.vk.com/method", extra: JSONObject = JSONObject()
  ) throws -> VKAdapter {
    var settings: JSONObject = [
      "group_id": .int(groupId), "access_token": .string(token), "secret": .string(secret),
      "confirmation": "693d0ba9", "api_base": .string(apiBase),
    ]
    for (key, value) in extra { settings[key] = value }
    return try VKAdapter(
      instance: ChannelInstanceConfig(id: "vk", adapter: "vk", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "https://support.example.com"))
  }

  static func request(_ body: [UInt8], method: HTTPMethod = .post) -> HTTPRequest {
    HTTPRequest(
      method: method, target: "/v1/inbound/vk",
      headers: HTTPHeaders([("Content-Type", "application/json")]), body: body,
      pathParameters: ["channel": "vk"])
  }

  func decision(_ body: [UInt8]) throws -> InboundDecision {
    try Self.adapter().receive(Self.request(body), now: Timestamp(unixSeconds: 0))
  }

  func items(_ fixture: String) throws -> [InboundItem] {
    let decision = try decision(try Fixtures.bytes("vk", fixture))
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
      throw TelegramAdapterTests.FixtureMismatch(fixture: fixture, items: items)
    }
    return message
  }

  /// `body` with `secret` replaced (nil: removed).
  func withSecret(_ fixture: String, _ secret: String?) throws -> [UInt8] {
    guard case .object(var object) = try JSON.parse(try Fixtures.bytes("vk", fixture)) else {
      return []
    }
    object["secret"] = secret.map(JSON.string)
    return JSON.object(object).serialized()
  }

  @Test func aPrivateMessageInCyrillic() throws {
    let message = try message("message-new-text.json")
    #expect(message.providerMessageId == "589362184:1517")
    #expect(
      message.sender
        == SenderProfile(
          externalId: "589362184", language: "ru",
          attributes: ["profile_url": "https://vk.com/id589362184"]))
    #expect(message.threadKey == nil)
    #expect(message.text == "Здравствуйте! Заказ №4512 не пришёл, что делать? 😟")
    #expect(message.sentAt == Timestamp(unixSeconds: 1_795_428_000))
    #expect(message.details["chat_type"] == "private")
  }

  @Test func aGroupChatIsItsOwnThread() throws {
    let message = try message("message-new-chat.json")
    #expect(message.threadKey == "2000000003")
    #expect(message.providerMessageId == "2000000003:845")
    #expect(message.sender.externalId == "702431009")
    #expect(message.sender.language == "en")
    #expect(message.details["chat_type"] == "chat")
  }

  @Test func aPhotoKeepsItsLargestSizeURL() throws {
    let message = try message("message-new-photo.json")
    #expect(message.text == "Коробка пришла мятая")
    let photo = try #require(message.attachments.first)
    #expect(message.attachments.count == 1)
    #expect(photo.kind == "image")
    let url = "https://sun9-1.userapi.com/impg/AbCdEf/photo.jpg?size=960x1280&quality=95&type=album"
    #expect(photo.url == url)
    #expect(photo.providerFileId == url)
    #expect(photo.details["width"] == 960)
    #expect(photo.details["vk_id"] == "photo589362184_457239043")
  }

  @Test func aDocumentAndAVoiceMessage() throws {
    let document = try #require(try message("message-new-doc.json").attachments.first)
    #expect(document.kind == "document")
    #expect(document.filename == "Счёт 4512.pdf")
    #expect(document.contentType == "application/pdf")
    #expect(document.size == 48_213)
    #expect(document.url?.hasPrefix("https://vk.com/doc589362184_672093216?") == true)

    let voice = try message("message-new-voice.json")
    #expect(voice.text == nil)
    let audio = try #require(voice.attachments.first)
    #expect(audio.kind == "voice")
    #expect(audio.url == "https://psv4.userapi.com/c236331//u589362184/audiomsg/d1/7f1e0b2c3d.ogg")
    #expect(audio.contentType == "audio/ogg")
    #expect(audio.details["duration"] == 5)
    #expect(audio.details["transcript"] == "Добрый день, где мой заказ")
  }

  @Test func aStickerAndALocation() throws {
    let message = try message("message-new-sticker-geo.json")
    #expect(message.attachments.map(\.kind) == ["sticker", "location"])
    #expect(message.attachments[0].url == "https://vk.com/sticker/1-9014-512")
    #expect(message.attachments[0].details["sticker_id"] == 9014)
    #expect(message.attachments[1].details["latitude"] == 55.796127)
    #expect(message.attachments[1].details["longitude"] == 49.106405)
    #expect(message.attachments[1].caption == "Казань, Россия")
    #expect(message.attachments[1].url == nil)
  }

  @Test func attachmentsJunctionDoesNotReadNeverFailTheMessage() throws {
    let body =
      #"{"type":"message_new","object":{"message":{"date":1795428000,"from_id":5,"peer_id":5,"conversation_message_id":9,"text":"см. пост","attachments":[{"type":"wall","wall":{"id":"x","owner_id":[1]}},{"type":"story","story":"oops"},{"type":"link","link":{"url":"https://example.com","title":"Example"}}]}},"group_id":219875432,"event_id":"e1","v":"5.199","secret":"Kx9mQ2vLp7RtW4zY"}"#
    guard case .ingest(let items) = try decision(Array(body.utf8)),
      case .message(let message) = items.first
    else {
      Issue.record("the message was not accepted")
      return
    }
    #expect(message.attachments.map(\.kind) == ["file", "file", "file"])
    #expect(message.attachments.map(\.caption) == ["VK wall", "VK story", "VK link"])
    #expect(message.attachments.allSatisfy { $0.url == nil && $0.providerFileId == nil })
    #expect(message.attachments[2].details["vk_type"] == "link")
  }

  @Test func aReplyNamesTheQuotedMessage() throws {
    let message = try message("message-new-reply.json")
    #expect(message.replyToProviderId == "589362184:1522")
    #expect(message.providerMessageId == "589362184:1523")
  }

  @Test func anEditIsKeyedByItsEventId() throws {
    let items = try items("message-edit.json")
    guard case .edit(let edit) = items.first, items.count == 1 else {
      Issue.record("expected one edit, got \(items)")
      return
    }
    #expect(edit.providerMessageId == "589362184:1517")
    #expect(edit.editId == "6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c")
    #expect(edit.text == "Здравствуйте! Заказ №4512 не пришёл, трек RA123456789RU")
    #expect(edit.editedAt == Timestamp(unixSeconds: 1_795_428_090))
  }

  @Test func thePre5_103ShapeStillParses() throws {
    let message = try message("message-new-legacy-5.80.json")
    #expect(message.providerMessageId == "589362184:1524")
    #expect(message.text == "Старый формат")
    #expect(message.sender.language == nil)
  }

  @Test(arguments: [
    "message-reply.json", "message-new-chat-service.json", "message-allow.json",
    "message-typing-state.json",
  ])
  func echoesServiceMessagesAndOtherEventsStoreNothing(_ fixture: String) throws {
    #expect(try items(fixture).isEmpty)
  }

  @Test func everyAcceptedEventIsAnsweredWithOk() throws {
    let response = try Self.adapter().acknowledge([
      .message(messageId: "msg_1", conversationId: "conv_1", duplicate: true)
    ])
    #expect(response.status == 200)
    #expect(response.body == Array("ok".utf8))
    #expect(response.headers["Content-Type"]?.hasPrefix("text/plain") == true)
    #expect(try Self.adapter().acknowledge([]).body == Array("ok".utf8))
  }

  @Test func confirmationIsAnsweredWithTheConfiguredString() throws {
    for fixture in ["confirmation.json", "confirmation-without-secret.json"] {
      guard case .respond(let response) = try decision(try Fixtures.bytes("vk", fixture)) else {
        Issue.record("\(fixture) was not answered")
        continue
      }
      #expect(response.status == 200)
      #expect(response.body == Array("693d0ba9".utf8))
      #expect(response.headers["Content-Type"]?.hasPrefix("text/plain") == true)
    }
    let wrong = try decision(try withSecret("confirmation.json", "guess"))
    guard case .reject(let refused) = wrong else {
      Issue.record("a confirmation with a wrong secret was answered: \(wrong)")
      return
    }
    #expect(refused.status == 401)
    #expect(!refused.body.contains(Array("693d0ba9".utf8)))
  }

  @Test func aWrongOrMissingSecretOrAnotherCommunityIsRefused() throws {
    for secret in [nil, "", "Kx9mQ2vLp7RtW4zZ", "Kx9mQ2vLp7RtW4z", "kx9mq2vlp7rtw4zy"] {
      let decision = try decision(try withSecret("message-new-text.json", secret))
      guard case .reject(let response) = decision else {
        Issue.record("secret \(secret ?? "absent") was accepted")
        continue
      }
      #expect(response.status == 401)
    }
    guard
      case .object(var object) = try JSON.parse(try Fixtures.bytes("vk", "message-new-text.json"))
    else { return }
    object["group_id"] = 1
    guard case .reject(let other) = try decision(JSON.object(object).serialized()) else {
      Issue.record("another community's event was accepted")
      return
    }
    #expect(other.status == 401)
    let get = try Self.adapter().receive(
      Self.request(try Fixtures.bytes("vk", "message-new-text.json"), method: .get),
      now: Timestamp(unixSeconds: 0))
    guard case .reject(let method) = get else {
      Issue.record("GET was accepted")
      return
    }
    #expect(method.status == 405)
  }

  @Test func malformedBodiesAre400AndNeverCrash() throws {
    let adapter = try Self.adapter()
    for fixture in ["message-new-photo.json", "message-new-sticker-geo.json", "message-edit.json"] {
      var body = try Fixtures.bytes("vk", fixture)
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
    let signed = #""group_id":219875432,"secret":"Kx9mQ2vLp7RtW4zY""#
    for body in [
      #"{"type":"message_new",\#(signed)}"#,
      #"{"type":"message_new","object":{"message":{"peer_id":"x","from_id":1}},\#(signed)}"#,
      #"{"type":"message_new","object":{"message":{"peer_id":5,"from_id":5}},\#(signed)}"#,
      #"{"type":"message_new","object":{"message":{"peer_id":5,"from_id":5,"conversation_message_id":1,"attachments":[{"photo":{}}]}},\#(signed)}"#,
      #"{"type":"message_new","object":{"message":{"peer_id":5,"from_id":5,"conversation_message_id":1,"geo":{"coordinates":{}}}},\#(signed)}"#,
    ] {
      let decision = adapter.receive(Self.request(Array(body.utf8)), now: Timestamp(unixSeconds: 0))
      guard case .reject(let response) = decision else {
        Issue.record("\(body) was accepted")
        continue
      }
      #expect(response.status == 400)
    }
  }

  @Test func settingsVKWouldRefuseAreRejectedAtStart() {
    for (key, value) in [
      ("api_version", JSON.string("5.80")), ("api_version", "latest"), ("group_id", 0),
      ("confirmation", ""),
    ] {
      #expect(throws: ChannelError.self, "\(key) = \(value)") {
        try Self.adapter(extra: [key: value])
      }
    }
  }

  @Test func theReadmeExampleIsAValidChannelsFileWithDefaultsFilledIn() throws {
    let json = try JSON.parse(
      Array(
        #"{"channels": [{"id": "vk", "adapter": "vk", "settings": {"group_id": 219875432, "access_token": "vk1.a.token", "secret": "Kx9mQ2vLp7RtW4zY", "confirmation": "693d0ba9"}}]}"#
          .utf8))
    let context = ConfigContext(file: "channels.json")
    let config = ChannelsConfig(
      json: json, context: context,
      specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
      adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    #expect(context.issues.isEmpty)
    let channel = try #require(config.channels.first)
    #expect(channel.settings.string("api_base") == "https://api.vk.com/method")
    #expect(channel.settings.string("api_version") == "5.199")
    #expect(channel.settings.double("rate_per_second") == 20)
    _ = try VKAdapter(instance: channel, context: AdapterContext(publicURL: "https://x"))
  }
}
