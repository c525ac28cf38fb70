import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

/// Twilio inbound: signatures (Twilio's published example), every fixture, rejections.
@Suite struct TwilioAdapterTests {
  static let token = "5f9b2c1e8d7a4b3c6e0f1a2b3c4d5e6f"
  static let publicURL = "https://junction.example.com/v1/inbound/sms-us"
  let now = Timestamp(unixSeconds: 1_795_428_000)

  static func adapter(_ extra: JSONObject = [:], apiBase: String? = nil) throws -> TwilioAdapter {
    var settings: JSONObject = [
      "account_sid": "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "auth_token": .string(token),
      "from": "+15558675310", "public_url": .string(publicURL),
    ]
    if let apiBase { settings["api_base"] = .string(apiBase) }
    for (key, value) in extra { settings[key] = value }
    return try TwilioAdapter(
      instance: ChannelInstanceConfig(
        id: "sms-us", adapter: "twilio", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "http://127.0.0.1:8080"))
  }

  /// A POST as Twilio sends it: form body, signed over `url` and the body's parameters.
  static func request(
    _ body: String, signedURL: String = publicURL, token: String = token,
    target: String = "/v1/inbound/sms-us"
  ) -> HTTPRequest {
    let signature = TwilioSignature(authToken: token).signature(
      url: signedURL, parameters: FormEncoding.decode(body))
    var headers = HTTPHeaders()
    headers.add("Content-Type", "application/x-www-form-urlencoded")
    headers.add("X-Twilio-Signature", signature)
    headers.add("I-Twilio-Idempotency-Token", "bd51c2a7-2f7b-4e3b-a2c6-4a53e7f3a6b2")
    return HTTPRequest(method: .post, target: target, headers: headers, body: Array(body.utf8))
  }

  func items(_ fixture: String, _ adapter: TwilioAdapter? = nil) throws -> [InboundItem] {
    let body = String(decoding: try Fixtures.bytes("twilio", fixture), as: UTF8.self)
    let decision = try (adapter ?? Self.adapter()).receive(Self.request(body), now: now)
    guard case .ingest(let items) = decision else {
      Issue.record("\(fixture): expected ingest, got \(decision)")
      return []
    }
    return items
  }

  func status(_ decision: InboundDecision) -> Int? {
    switch decision {
    case .reject(let response), .respond(let response): return response.status
    case .ingest: return nil
    }
  }

  @Test func computesTwiliosPublishedSignatureExample() throws {
    let example = try JSON.parse(try Fixtures.bytes("twilio", "signature-example.json"))
    let signer = TwilioSignature(authToken: try #require(example["auth_token"]?.stringValue))
    let url = try #require(example["url"]?.stringValue)
    let parameters = (example["params"]?.objectValue ?? [:]).map {
      (name: $0.key, value: $0.value.stringValue ?? "")
    }
    let expected = try #require(example["signature"]?.stringValue)
    #expect(signer.signature(url: url, parameters: parameters) == expected)
    #expect(signer.isValid(expected, urls: [url], parameters: parameters))
    // Twilio's SDKs accept the URL with the default port spelled out, and vice versa.
    let withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    #expect(signer.isValid(expected, urls: [withPort], parameters: parameters))
    #expect(!signer.isValid(expected, urls: [url + "&baz=3"], parameters: parameters))
    #expect(!signer.isValid(expected, urls: [url], parameters: Array(parameters.dropLast())))
  }

  @Test func parsesAnInboundSMS() throws {
    guard case .message(let message) = try items("sms.form").first else {
      Issue.record("expected a message")
      return
    }
    #expect(message.providerMessageId == "SM1f0e8ae6ade43cb3c0ce4525424e404f")
    #expect(message.sender.externalId == "+14017122661")
    #expect(message.sender.phone == "+14017122661")
    #expect(message.sender.attributes["country"] == "US")
    #expect(message.text == "Hello")
    #expect(message.attachments.isEmpty)
    #expect(message.threadKey == nil)
    #expect(message.details["to"] == "+15558675310")
    #expect(message.details["sms"] == ["encoding": "GSM-7", "segments": 1])
  }

  @Test func keepsCyrillicAndEmojiIntact() throws {
    guard case .message(let message) = try items("sms-cyrillic.form").first else {
      Issue.record("expected a message")
      return
    }
    #expect(message.text == "Здравствуйте! Где мой заказ #12345? 📦")
    #expect(message.sender.externalId == "+79161234567")
    #expect(message.details["sms"]?["encoding"] == "UCS-2")
  }

  @Test func turnsMMSMediaIntoAttachments() throws {
    guard case .message(let message) = try items("mms-two-media.form").first else {
      Issue.record("expected a message")
      return
    }
    #expect(message.providerMessageId == "MM4c2e6a8b0d1f3a5c7e9b2d4f6a8c0e1d")
    #expect(message.text == "Receipt and photo of the broken router")
    #expect(message.attachments.map(\.kind) == ["image", "document"])
    #expect(message.attachments.map(\.contentType) == ["image/jpeg", "application/pdf"])
    #expect(
      message.attachments.first?.url
        == "https://api.twilio.com/2010-04-01/Accounts/ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/Messages/MM4c2e6a8b0d1f3a5c7e9b2d4f6a8c0e1d/Media/ME1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b"
    )
    #expect(message.attachments.last?.providerFileId == "ME2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a")
  }

  @Test func advancedOptOutIsAKeywordEvenWhenTheTextIsNot() throws {
    let adapter = try Self.adapter()
    guard case .message(let message) = try items("sms-stop-advanced-opt-out.form", adapter).first
    else {
      Issue.record("expected a message")
      return
    }
    #expect(message.details["opt_out_type"] == "STOP")
    #expect(adapter.sms.keywordAction(for: message) == .optOut)
    // Twilio confirms opt-outs itself, so Junction sends no confirmation by default.
    #expect(adapter.sms.reply(for: .optOut) == nil)
  }

  @Test(arguments: [
    ("status-sent.form", DeliveryStatus.sent, nil as String?),
    ("status-delivered.form", .delivered, nil), ("status-undelivered-30003.form", .failed, "30003"),
    ("status-failed-21610.form", .failed, "21610"),
  ])
  func mapsStatusCallbacks(_ fixture: String, _ expected: DeliveryStatus, _ code: String?) throws {
    guard case .status(let update) = try items(fixture).first else {
      Issue.record("expected a status")
      return
    }
    #expect(update.status == expected)
    #expect(update.providerMessageId?.hasPrefix("SM") == true)
    #expect(update.messageId == nil)
    #expect(update.error?["provider_code"]?.stringValue == code)
    #expect(update.dedupeKey?.hasPrefix((update.providerMessageId ?? "-") + ":") == true)
  }

  @Test func failureCallbacksCarryWhatTheErrorCodeMeans() throws {
    guard case .status(let optedOut) = try items("status-failed-21610.form").first,
      case .status(let unreachable) = try items("status-undelivered-30003.form").first
    else {
      Issue.record("expected statuses")
      return
    }
    #expect(optedOut.error?["opted_out"] == true)
    #expect(optedOut.error?["code"] == "failed")
    #expect(optedOut.error?["message"]?.stringValue?.contains("opted out") == true)
    #expect(unreachable.error?["unreachable"] == true)
    #expect(unreachable.error?["code"] == "undelivered")
  }

  @Test func intermediateStatusesAreAcknowledgedWithoutStoring() throws {
    #expect(try items("status-queued.form").isEmpty)
  }

  @Test func answersWithEmptyTwiML() throws {
    let response = try Self.adapter().acknowledge([
      .message(messageId: "msg_1", conversationId: "conv_1", duplicate: false)
    ])
    #expect(response.status == 200)
    #expect(response.headers["Content-Type"]?.hasPrefix("text/xml") == true)
    #expect(
      String(decoding: response.body, as: UTF8.self)
        == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
  }

  @Test func rejectsMissingWrongAndTamperedSignatures() throws {
    let adapter = try Self.adapter()
    let body = String(decoding: try Fixtures.bytes("twilio", "sms.form"), as: UTF8.self)
    var unsigned = Self.request(body)
    unsigned.headers.remove("X-Twilio-Signature")
    #expect(status(adapter.receive(unsigned, now: now)) == 401)
    #expect(status(adapter.receive(Self.request(body, token: "another-token"), now: now)) == 401)
    var tampered = Self.request(body)
    tampered.body = Array(body.replacingOccurrences(of: "Body=Hello", with: "Body=Hellp").utf8)
    #expect(status(adapter.receive(tampered, now: now)) == 401)
    // Signed over the URL Junction sees instead of the one registered at Twilio.
    let inside = Self.request(body, signedURL: "http://127.0.0.1:8080/v1/inbound/sms-us")
    #expect(status(adapter.receive(inside, now: now)) == 401)
  }

  @Test func behindAProxyTheConfiguredPublicURLIsWhatCounts() throws {
    let body = String(decoding: try Fixtures.bytes("twilio", "sms.form"), as: UTF8.self)
    // The proxy rewrote the path; the signature is still over the public URL.
    let request = Self.request(body, target: "/internal/v1/inbound/sms-us")
    #expect(status(try Self.adapter().receive(request, now: now)) == nil)
    // A signature over the public URL with an explicit :443 is accepted too.
    let withPort = Self.request(
      body, signedURL: "https://junction.example.com:443/v1/inbound/sms-us")
    #expect(status(try Self.adapter().receive(withPort, now: now)) == nil)
  }

  @Test func acceptsGETWebhooksSignedOverTheURLWithItsQuery() throws {
    let query = "MessageSid=SM1&From=%2B14017122661&To=%2B15558675310&Body=Hi+there&NumMedia=0"
    let signature = TwilioSignature(authToken: Self.token).signature(
      url: Self.publicURL + "?" + query, parameters: [])
    var headers = HTTPHeaders()
    headers.add("X-Twilio-Signature", signature)
    let request = HTTPRequest(
      method: .get, target: "/v1/inbound/sms-us?" + query, headers: headers)
    guard case .ingest(let items) = try Self.adapter().receive(request, now: now),
      case .message(let message) = items.first
    else {
      Issue.record("expected a message")
      return
    }
    #expect(message.text == "Hi there")
  }

  @Test(arguments: [
    ("From=%2B14017122661&Body=x", "MessageSid: is required"),
    ("MessageSid=SM1&Body=x", "From: is required"),
    ("MessageSid=SM1&From=%2B1&NumMedia=many", "NumMedia: expected 0 to 10"),
    ("MessageSid=SM1&From=%2B1&NumMedia=1", "MediaUrl0: is required when NumMedia is 1"),
    ("MessageStatus=delivered", "MessageSid: is required"),
  ])
  func namesTheFieldAtFault(_ body: String, _ message: String) throws {
    guard case .reject(let response) = try Self.adapter().receive(Self.request(body), now: now)
    else {
      Issue.record("expected a rejection")
      return
    }
    #expect(response.status == 400)
    #expect(try JSON.parse(response.body)["error"]?["message"]?.stringValue == message)
  }

  @Test func arbitraryBodiesNeverCrash() throws {
    let adapter = try Self.adapter()
    let body = Array(try Fixtures.bytes("twilio", "mms-two-media.form"))
    var generator = SystemRandomNumberGenerator()
    for cut in stride(from: 0, to: body.count, by: 7) {
      var mangled = Array(body.prefix(cut))
      mangled += (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
      _ = adapter.receive(Self.request(String(decoding: mangled, as: UTF8.self)), now: now)
    }
  }

  @Test func localSendersAreNormalisedWithTheDefaultCountry() throws {
    let adapter = try Self.adapter(["default_country": "RU"])
    let decision = adapter.receive(
      Self.request("MessageSid=SM9&From=89161234567&Body=%D0%A1%D0%A2%D0%9E%D0%9F"), now: now)
    guard case .ingest(let items) = decision, case .message(let message) = items.first else {
      Issue.record("expected a message")
      return
    }
    #expect(message.sender.externalId == "+79161234567")
    #expect(adapter.sms.keywordAction(for: message) == .optOut)
  }

  @Test func refusesAnAccountSidThatIsNotOne() {
    #expect(throws: ChannelError.self) {
      try Self.adapter(["account_sid": "SKxxxxxxxx"])
    }
  }
}
