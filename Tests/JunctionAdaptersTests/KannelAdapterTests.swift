import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Kannel: get-url calls recorded from a real Kannel 1.4.5 (Latin, Cyrillic as UTF-8 and as
/// UCS-2), delivery reports, sendsms requests and answers.
@Suite struct KannelAdapterTests {
  let now = Timestamp(unixSeconds: 1_795_525_300)

  static func adapter(_ extra: JSONObject = [:], sendsms: String = "http://127.0.0.1:13013")
    throws -> KannelAdapter
  {
    var settings: JSONObject = [
      "sendsms_url": .string(sendsms + "/cgi-bin/sendsms"), "username": "junction",
      "password": "kannel-pass", "from": "+15005550006",
      "public_url": "http://10.0.0.5:8080/v1/inbound/sms-kannel",
    ]
    for (key, value) in extra { settings[key] = value }
    return try KannelAdapter(
      instance: ChannelInstanceConfig(
        id: "sms-kannel", adapter: "kannel", settings: ChannelSettings(settings)),
      context: AdapterContext(publicURL: "http://127.0.0.1:8080"))
  }

  static func request(_ query: String) -> HTTPRequest {
    HTTPRequest(
      method: .get, target: "/v1/inbound/sms-kannel?" + query,
      headers: HTTPHeaders([("User-Agent", "Kannel/1.4.5")]))
  }

  func items(_ fixture: String, adapter: KannelAdapter? = nil) throws -> [InboundItem] {
    let query = String(decoding: try Fixtures.bytes("kannel", fixture), as: UTF8.self)
    let decision = try (adapter ?? Self.adapter()).receive(Self.request(query), now: now)
    guard case .ingest(let items) = decision else {
      Issue.record("\(fixture): expected ingest, got \(decision)")
      return []
    }
    return items
  }

  func message(_ fixture: String, adapter: KannelAdapter? = nil) throws -> InboundMessage? {
    guard case .message(let message) = try items(fixture, adapter: adapter).first else {
      Issue.record("\(fixture): expected a message")
      return nil
    }
    return message
  }

  @Test(arguments: [
    ("mo-latin.query", "Hello world", "GSM-7"),
    ("mo-cyrillic-utf8.query", "Привет, мир!", "UCS-2"),
    ("mo-cyrillic-ucs2.query", "Привет, мир! 😀", "UCS-2"),
    ("mo-special-characters.query", "a&b=c+d%e 100%", "GSM-7"),
    ("mo-recoded-windows-1252.query", "Café geöffnet?", "GSM-7"),
  ])
  func decodesTextByCodingAndCharset(_ fixture: String, _ text: String, _ encoding: String)
    throws
  {
    let message = try #require(try message(fixture))
    #expect(message.text == text)
    #expect(message.details["sms"]?["encoding"]?.stringValue == encoding)
  }

  @Test func readsSenderIdTimeAndRoute() throws {
    let message = try #require(try message("mo-latin.query"))
    #expect(message.providerMessageId == "3f678254-89ab-4b07-bde8-23322d54a7e9")
    #expect(message.sender == SenderProfile(externalId: "+79161234567", phone: "+79161234567"))
    #expect(message.sentAt == Timestamp(unixSeconds: 1_795_525_268))
    #expect(message.details["to"] == "+15005550006")
    #expect(message.details["smsc"] == "FAKE")
  }

  @Test func localSendersNeedTheDefaultCountry() throws {
    let plain = try #require(try message("mo-special-characters.query"))
    #expect(plain.sender.externalId == "89161234567")
    #expect(plain.sender.phone == nil)
    let russian = try #require(
      try message("mo-special-characters.query", adapter: Self.adapter(["default_country": "RU"])))
    #expect(russian.sender.externalId == "+79161234567")
  }

  @Test func withoutKannelsIdTheDedupeKeyIsAHashOfSenderTimeAndText() throws {
    func id(_ query: String) throws -> String? {
      guard case .ingest(let items) = try Self.adapter().receive(Self.request(query), now: now),
        case .message(let message) = items.first
      else { return nil }
      return message.providerMessageId
    }
    let first = try id("from=%2B79161234567&text=Hi&ts=1795525268")
    #expect(first?.hasPrefix("h-") == true)
    #expect(try id("from=%2B79161234567&text=Hi&ts=1795525268") == first)
    #expect(try id("from=%2B79161234567&text=Hi!&ts=1795525268") != first)
    #expect(try id("from=%2B79161234567&text=Hi&ts=1795525269") != first)
  }

  @Test func binaryMessagesAreAcknowledgedWithoutStoring() throws {
    let query = "from=%2B79161234567&text=%0B%05%04&coding=1&charset=8-BIT&udh=%06%05"
    guard case .ingest(let items) = try Self.adapter().receive(Self.request(query), now: now)
    else {
      Issue.record("expected ingest")
      return
    }
    #expect(items.isEmpty)
  }

  @Test(arguments: [
    ("dlr-delivered.query", DeliveryStatus.delivered), ("dlr-smsc-accepted.query", .sent),
    ("dlr-buffered.query", .sent), ("dlr-undelivered.query", .failed),
    ("dlr-smsc-rejected.query", .failed),
  ])
  func mapsDeliveryReports(_ fixture: String, _ expected: DeliveryStatus) throws {
    guard case .status(let update) = try items(fixture).first else {
      Issue.record("expected a status")
      return
    }
    #expect(update.status == expected)
    // A report of any part maps back to the message (`-2` is the outbox's second part).
    #expect(update.messageId == "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE")
    #expect(update.providerMessageId?.hasPrefix("msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE") == true)
    #expect(update.at != nil)
  }

  @Test func failedReportsCarryTheSMSCsText() throws {
    guard case .status(let undelivered) = try items("dlr-undelivered.query").first,
      case .status(let rejected) = try items("dlr-smsc-rejected.query").first
    else {
      Issue.record("expected statuses")
      return
    }
    #expect(undelivered.error?["code"] == "undelivered")
    #expect(undelivered.error?["message"]?.stringValue?.contains("stat:UNDELIV err:001") == true)
    #expect(undelivered.error?["message"]?.stringValue?.hasSuffix("text:Ваш заказ") == true)
    #expect(undelivered.error?["smsc_message_id"] == "0123456789")
    #expect(rejected.error?["code"] == "rejected")
    #expect(rejected.error?["provider_code"] == "16")
    #expect(rejected.error?["message"] == "NACK/0x0000000b/Invalid Destination Address")
  }

  @Test func intermediateReportsAreNotStored() throws {
    let decision = try Self.adapter().receive(Self.request("dlr=32&msg=msg_01A&ts=1"), now: now)
    guard case .ingest(let items) = decision else {
      Issue.record("expected ingest")
      return
    }
    #expect(items.isEmpty)
  }

  @Test func anInboundTokenGuardsTheEndpoint() throws {
    let adapter = try Self.adapter(["inbound_token": "k4nn3l-t0ken"])
    let query = "from=%2B79161234567&text=Hi&id=1"
    guard case .reject(let missing) = adapter.receive(Self.request(query), now: now),
      case .reject(let wrong) = adapter.receive(Self.request(query + "&token=nope"), now: now)
    else {
      Issue.record("expected rejections")
      return
    }
    #expect(missing.status == 401)
    #expect(wrong.status == 401)
    guard case .ingest = adapter.receive(Self.request(query + "&token=k4nn3l-t0ken"), now: now)
    else {
      Issue.record("expected ingest")
      return
    }
  }

  @Test(arguments: [
    ("text=Hi&id=1", "from: is required (get-url: from=%p)"),
    ("from=%2B79161234567&id=1", "text: is required (get-url: text=%b)"),
    ("dlr=1", "msg: is required (Junction's dlr-url carries it)"),
    ("dlr=%25d&msg=msg_1", "dlr: expected Kannel's DLR type (%d)"),
  ])
  func namesTheParameterAtFault(_ query: String, _ message: String) throws {
    guard case .reject(let response) = try Self.adapter().receive(Self.request(query), now: now)
    else {
      Issue.record("expected a rejection")
      return
    }
    #expect(response.status == 400)
    #expect(try JSON.parse(response.body)["error"]?["message"]?.stringValue == message)
  }

  @Test func answersWithAnEmptyBodySoKannelSendsNoReply() throws {
    let response = try Self.adapter().acknowledge([
      .message(messageId: "msg_1", conversationId: "conv_1", duplicate: false)
    ])
    #expect(response.status == 200)
    #expect(response.body.isEmpty)
  }

  @Test func arbitraryQueriesNeverCrash() throws {
    let adapter = try Self.adapter()
    var generator = SplitMixGenerator(seed: 3)
    let alphabet = Array("%+&=0123456789ABCDEFabcdefdlrmsgtextfromcodingcharset-2_".utf8)
    for _ in 0..<3000 {
      let length = Int(generator.next() % 60)
      let query = String(
        decoding: (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))]
        },
        as: UTF8.self)
      _ = adapter.receive(Self.request(query), now: now)
      _ = adapter.receive(Self.request("coding=2&from=1&text=" + query), now: now)
    }
  }
}

/// A tiny deterministic generator for randomized tests.
struct SplitMixGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
