import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import Testing

/// Vonage inbound: GET, form and JSON shapes, unicode, concatenated parts, receipts, `sig`.
@Suite struct VonageAdapterTests {
  static let signatureSecret = "vonage-signature-secret-123"
  let now = Timestamp(unixSeconds: 1_795_516_200)

  static func adapter(_ extra: JSONObject = [:], apiBase: String? = nil) throws -> VonageAdapter {
    var settings: JSONObject = [
      "api_key": "abcd1234", "api_secret": "s3cr3tVonage", "from": "447700900000",
      "public_url": "https://junction.example.com/v1/inbound/sms-uk",
    ]
    if let apiBase { settings["api_base"] = .string(apiBase) }
    for (key, value) in extra { settings[key] = value }
    return try VonageAdapter(
      instance: ChannelInstanceConfig(
        id: "sms-uk", adapter: "vonage", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "http://127.0.0.1:8080"))
  }

  static func fixture(_ name: String) -> String {
    String(decoding: (try? Fixtures.bytes("vonage", name)) ?? [], as: UTF8.self)
  }

  /// A request as Vonage sends a fixture: `.query` as GET, `.json` as a JSON POST, else a
  /// form POST.
  static func request(_ fixture: String) -> HTTPRequest {
    let body = Self.fixture(fixture)
    if fixture.hasSuffix(".query") {
      return HTTPRequest(method: .get, target: "/v1/inbound/sms-uk?" + body)
    }
    let type =
      fixture.hasSuffix(".json")
      ? "application/json" : "application/x-www-form-urlencoded; charset=UTF-8"
    return HTTPRequest(
      method: .post, target: "/v1/inbound/sms-uk",
      headers: HTTPHeaders([("Content-Type", type), ("User-Agent", "Nexmo/MessagingHUB/v1.0")]),
      body: Array(body.utf8))
  }

  func items(_ fixture: String, adapter: VonageAdapter? = nil) throws -> [InboundItem] {
    let decision = try (adapter ?? Self.adapter()).receive(Self.request(fixture), now: now)
    guard case .ingest(let items) = decision else {
      Issue.record("\(fixture): expected ingest, got \(decision)")
      return []
    }
    return items
  }

  func message(_ fixture: String) throws -> InboundMessage? {
    guard case .message(let message) = try items(fixture).first else {
      Issue.record("\(fixture): expected a message")
      return nil
    }
    return message
  }

  @Test func parsesTheDocumentedGETExample() throws {
    let message = try #require(try message("inbound-get.query"))
    #expect(message.providerMessageId == "030000000926C4C2")
    #expect(message.sender == SenderProfile(externalId: "+447700900001", phone: "+447700900001"))
    #expect(message.text == "Hello!")
    #expect(message.sentAt == Timestamp(unixSeconds: 1_471_169_634))
    #expect(message.details["to"] == "447700900000")
  }

  @Test func parsesFormAndJSONPosts() throws {
    let form = try #require(try message("inbound-post.form"))
    #expect(form.text == "Where is my order #12345?")
    #expect(form.providerMessageId == "0A0000001234567B")
    let json = try #require(try message("inbound.json"))
    #expect(json.text == "Hello from JSON")
    #expect(json.sentAt == Timestamp(unixSeconds: 1_795_515_400))
    let unicode = try #require(try message("inbound-unicode.json"))
    #expect(unicode.text == "Здравствуйте! Интернет не работает с утра 😞")
    #expect(unicode.sender.externalId == "+79161234567")
    #expect(unicode.details["sms"] == ["encoding": "UCS-2", "segments": 1])
  }

  @Test func concatenatedPartsBecomePartsForTheGatewayToJoin() throws {
    var texts: [Int: String] = [:]
    for index in [3, 1, 2] {
      guard case .part(let part) = try items("concat-part-\(index).form").first else {
        Issue.record("expected a part")
        return
      }
      #expect(part.reference == "108")
      #expect(part.index == index)
      #expect(part.total == 3)
      #expect(part.message.providerMessageId == "0B00000012AB34C\(index)")
      #expect(part.message.sender.externalId == "+79161234567")
      texts[index] = part.message.text
    }
    let joined = (1...3).compactMap { texts[$0] }.joined()
    #expect(joined.hasPrefix("Добрый день! У нас на улице Ленина"))
    #expect(joined.hasSuffix("д. 42, кв. 7."))
    #expect(texts[1]?.count == 67)
  }

  @Test(arguments: [
    ("concat=true&concat-total=2&concat-part=1", "concat-ref: is required when concat is true"),
    (
      "concat=true&concat-ref=5&concat-total=0&concat-part=1",
      "concat-total: expected a number from 1 to 255"
    ),
    (
      "concat=true&concat-ref=5&concat-total=2&concat-part=3",
      "concat-part: expected a number from 1 to 2"
    ),
    (
      "concat=true&concat-ref=5&concat-total=2&concat-part=x",
      "concat-part: expected a number from 1 to 2"
    ),
  ])
  func rejectsInconsistentConcatenation(_ extra: String, _ message: String) throws {
    let query = "msisdn=447700900001&to=447700900000&messageId=M1&text=x&type=text&" + extra
    let decision = try Self.adapter().receive(
      HTTPRequest(method: .get, target: "/v1/inbound/sms-uk?" + query), now: now)
    guard case .reject(let response) = decision else {
      Issue.record("expected a rejection, got \(decision)")
      return
    }
    #expect(response.status == 400)
    #expect(try JSON.parse(response.body)["error"]?["message"]?.stringValue == message)
  }

  @Test(arguments: [
    ("dlr-delivered.form", DeliveryStatus.delivered, "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE" as String?),
    ("dlr-failed.form", .failed, "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE"),
    ("dlr-expired.form", .failed, nil), ("dlr-rejected.form", .failed, nil),
    ("dlr-buffered.form", .sent, nil),
  ])
  func mapsDeliveryReceipts(_ fixture: String, _ expected: DeliveryStatus, _ messageId: String?)
    throws
  {
    guard case .status(let update) = try items(fixture).first else {
      Issue.record("expected a status")
      return
    }
    #expect(update.status == expected)
    #expect(update.providerMessageId?.hasPrefix("0C000000217B7F") == true)
    // `client-ref` is Junction's id; a later part's `-2` suffix maps back to the message.
    #expect(update.messageId == messageId)
    #expect(update.at != nil)
  }

  @Test func failedReceiptsCarryTheErrorCode() throws {
    guard case .status(let failed) = try items("dlr-failed.form").first,
      case .status(let rejected) = try items("dlr-rejected.form").first
    else {
      Issue.record("expected statuses")
      return
    }
    #expect(failed.error?["provider_code"] == "3")
    #expect(failed.error?["unreachable"] == true)
    #expect(failed.error?["message"] == "absent subscriber (permanent)")
    #expect(rejected.error?["code"] == "rejected")
    #expect(rejected.error?["unreachable"] == nil)
  }

  @Test func unknownReceiptsBinaryMessagesAndEmptyPingsStoreNothing() throws {
    #expect(try items("dlr-unknown.form").isEmpty)
    let binary = HTTPRequest(
      method: .get,
      target:
        "/v1/inbound/sms-uk?msisdn=447700900001&to=447700900000&messageId=B1&type=binary&data=0605&udh=0504"
    )
    guard case .ingest(let none) = try Self.adapter().receive(binary, now: now) else {
      Issue.record("expected ingest")
      return
    }
    #expect(none.isEmpty)
    let ping = HTTPRequest(method: .get, target: "/v1/inbound/sms-uk")
    guard case .respond(let response) = try Self.adapter().receive(ping, now: now) else {
      Issue.record("expected a direct answer")
      return
    }
    #expect(response.status == 200)
  }

  @Test func acknowledgesWith200AndAnEmptyBody() throws {
    let response = try Self.adapter().acknowledge([.part(messageId: nil, duplicate: true)])
    #expect(response.status == 200)
    #expect(response.body.isEmpty)
  }

  @Test func verifiesThePythonSDKVectorForEveryMethod() throws {
    let vector = try JSON.parse(try Fixtures.bytes("vonage", "signature-python-sdk.json"))
    let parameters = (vector["params"]?.objectValue ?? [:]).map {
      (name: $0.key, value: $0.value.stringValue ?? "")
    }
    for method in VonageSignature.Method.allCases {
      let signer = VonageSignature(secret: "secret", method: method)
      let expected = try #require(vector[method.rawValue]?.stringValue)
      #expect(signer.signature(parameters) == expected, "\(method)")
      #expect(signer.isValid(parameters + [("sig", expected.uppercased())]))
    }
  }

  @Test func acceptsSignedWebhooksAndRejectsTamperedOrStaleOnes() throws {
    let adapter = try Self.adapter(["signature_secret": .string(Self.signatureSecret)])
    let signed = Self.request("inbound-signed.form")
    guard case .ingest(let items) = adapter.receive(signed, now: now),
      case .message(let message) = items.first
    else {
      Issue.record("expected the signed message")
      return
    }
    #expect(message.text == "Signed & sealed = delivered")
    func status(_ request: HTTPRequest, at time: Timestamp? = nil) -> Int? {
      guard case .reject(let response) = adapter.receive(request, now: time ?? now) else {
        return nil
      }
      return response.status
    }
    var tampered = signed
    tampered.body = Array(
      Self.fixture("inbound-signed.form").replacing("Signed", with: "Forged").utf8)
    #expect(status(tampered) == 401)
    #expect(status(Self.request("inbound-post.form")) == 401)  // unsigned
    #expect(status(signed, at: Timestamp(unixSeconds: now.unixSeconds + 301)) == 401)
    #expect(status(signed, at: Timestamp(unixSeconds: now.unixSeconds - 300)) == nil)
  }

  @Test func arbitraryInputNeverCrashes() throws {
    let adapter = try Self.adapter(["signature_secret": "x"])
    let unsigned = try Self.adapter()
    let body = Array(Self.fixture("concat-part-1.form").utf8)
    var generator = SystemRandomNumberGenerator()
    for cut in stride(from: 0, to: body.count, by: 5) {
      var mangled = Array(body.prefix(cut))
      mangled += (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
      for type in ["application/json", "application/x-www-form-urlencoded"] {
        let request = HTTPRequest(
          method: .post, target: "/v1/inbound/sms-uk",
          headers: HTTPHeaders([("Content-Type", type)]), body: mangled)
        _ = adapter.receive(request, now: now)
        _ = unsigned.receive(request, now: now)
      }
    }
  }
}
