import JunctionChannels
import JunctionHTTP
import JunctionModel
import Testing

@testable import JunctionAdapters

/// Meta's webhook signature and verification handshake, shared by WhatsApp and Messenger.
@Suite struct MetaWebhookTests {
  /// HMAC-SHA256 hex computed independently (Python `hmac`) over the fixture's raw bytes,
  /// keyed with ``MetaTest/appSecret``.
  static let escapedFixtureSignature =
    "sha256=84bc501fbe4db14770cc28d34de3b6a5e2143849d121f38a8caa8bff22e7d217"
  /// The same, over the fixture parsed and written back as UTF-8 (what a re-serialising
  /// receiver would check).
  static let reserializedSignature =
    "sha256=e2fdb46862ed440c346f9b3ec97adc85fae8da31d923236fb1f3b08d876bf20d"

  @Test func matchesTheReferenceVector() {
    // protocols.md §2.2: app secret `appsecret`, body {"object":"page"}.
    let webhook = MetaWebhook(appSecret: "appsecret", verifyToken: "x")
    let body = Array(#"{"object":"page"}"#.utf8)
    #expect(
      webhook.signature(for: body)
        == "sha256=b38a2f589e8e63c7fc3318ee5fad162aa1c05bd62cb1ec87c9a61641619505e2")
    #expect(webhook.verify(webhook.signature(for: body), body: body))
  }

  @Test func escapedUnicodeVerifiesOnlyOnTheRawBytes() throws {
    let raw = try Fixtures.bytes("whatsapp", "escaped-unicode.json")
    #expect(raw.allSatisfy { $0 < 0x80 }, "Meta sends non-ASCII escaped")
    let adapter = try MetaTest.whatsapp()
    let webhook = MetaWebhook(appSecret: MetaTest.appSecret, verifyToken: "")
    #expect(webhook.signature(for: raw) == Self.escapedFixtureSignature)

    let accepted = adapter.receive(
      MetaTest.post(raw, headers: [("X-Hub-Signature-256", Self.escapedFixtureSignature)]),
      now: MetaTest.now)
    let message = try #require(MetaTest.messages(MetaTest.items(accepted)).first)
    #expect(message.text == "Жду заказ №42 — когда?")
    #expect(message.sender.name == "Иван Петров")

    // The same JSON re-serialised (UTF-8, no escapes) is different bytes: the raw signature
    // does not verify it, and a signature over it does not verify the raw body.
    let reserialized = try JSON.parse(raw).serialized()
    #expect(reserialized != raw)
    #expect(webhook.signature(for: reserialized) == Self.reserializedSignature)
    let replayed = adapter.receive(
      MetaTest.post(
        reserialized, headers: [("X-Hub-Signature-256", Self.escapedFixtureSignature)]),
      now: MetaTest.now)
    #expect(MetaTest.rejection(replayed)?.0 == 401)
    let mismatched = adapter.receive(
      MetaTest.post(raw, headers: [("X-Hub-Signature-256", Self.reserializedSignature)]),
      now: MetaTest.now)
    #expect(MetaTest.rejection(mismatched)?.0 == 401)
  }

  @Test func wrongMissingMalformedAndTamperedSignaturesAre401() throws {
    let body = try Fixtures.bytes("whatsapp", "text.json")
    let good = MetaWebhook(appSecret: MetaTest.appSecret, verifyToken: "").signature(for: body)
    let cases: [(String, [(String, String)], [UInt8])] = [
      ("wrong secret", [("X-Hub-Signature-256", sign(body, "another-app-secret"))], body),
      ("missing header", [], body),
      ("sha1 form", [("X-Hub-Signature-256", "sha1=" + good.dropFirst(7).prefix(40))], body),
      ("no prefix", [("X-Hub-Signature-256", String(good.dropFirst(7)))], body),
      ("truncated", [("X-Hub-Signature-256", String(good.dropLast(2)))], body),
      ("not hex", [("X-Hub-Signature-256", "sha256=" + String(repeating: "zz", count: 32))], body),
      ("legacy header only", [("X-Hub-Signature", good)], body),
      ("tampered body", [("X-Hub-Signature-256", good)], body.map { $0 == 0x3F ? 0x21 : $0 }),
    ]
    for adapter in [try MetaTest.whatsapp() as any ChannelAdapter, try MetaTest.messenger()] {
      for (name, headers, bytes) in cases {
        let decision = adapter.receive(MetaTest.post(bytes, headers: headers), now: MetaTest.now)
        #expect(MetaTest.rejection(decision)?.0 == 401, "\(name)")
        #expect(MetaTest.rejection(decision)?.1 == "invalid_signature", "\(name)")
      }
    }
    let accepted = try MetaTest.whatsapp().receive(
      MetaTest.post(
        body,
        headers: [
          (
            "x-hub-signature-256",
            good.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")
          )
        ]),
      now: MetaTest.now)
    #expect(MetaTest.rejection(accepted) == nil, "header names are case-insensitive, hex too")
  }

  func sign(_ body: [UInt8], _ secret: String) -> String {
    MetaWebhook(appSecret: secret, verifyToken: "").signature(for: body)
  }

  @Test func theHandshakeEchoesTheChallengeForTheRightToken() throws {
    for adapter in [try MetaTest.whatsapp() as any ChannelAdapter, try MetaTest.messenger()] {
      let decision = adapter.receive(
        MetaTest.get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock"),
        now: MetaTest.now)
      guard case .respond(let response) = decision else {
        Issue.record("expected a response, got \(decision)")
        continue
      }
      #expect(response.status == 200)
      #expect(response.body == Array("1158201444".utf8))
      #expect(response.headers["Content-Type"]?.hasPrefix("text/plain") == true)
    }
  }

  @Test(arguments: [
    ("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong", 403),
    ("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhoc", 403),
    ("hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock", 403),
    ("hub.mode=subscribe&hub.verify_token=meatyhamhock", 400),
    ("", 400),
    ("hub.mode=subscribe&hub.challenge=&hub.verify_token=meatyhamhock", 400),
  ])
  func aBadHandshakeIsRefused(_ query: String, _ status: Int) throws {
    for adapter in [try MetaTest.whatsapp() as any ChannelAdapter, try MetaTest.messenger()] {
      #expect(
        MetaTest.rejection(adapter.receive(MetaTest.get(query), now: MetaTest.now))?.0 == status)
    }
  }

  @Test func otherMethodsAndMalformedBodiesAreRefused() throws {
    let adapter = try MetaTest.whatsapp()
    var put = MetaTest.signed(Array("{}".utf8))
    put.method = .put
    #expect(MetaTest.rejection(adapter.receive(put, now: MetaTest.now))?.0 == 405)
    let broken = adapter.receive(MetaTest.signed(Array("{\"object\":".utf8)), now: MetaTest.now)
    #expect(MetaTest.rejection(broken)?.1 == "invalid_json")
    let page = adapter.receive(
      MetaTest.signed(Array(#"{"object":"page","entry":[]}"#.utf8)), now: MetaTest.now)
    #expect(MetaTest.rejection(page)?.0 == 400)
    let messenger = try MetaTest.messenger()
    let waBody = try Fixtures.bytes("whatsapp", "text.json")
    #expect(
      MetaTest.rejection(messenger.receive(MetaTest.signed(waBody), now: MetaTest.now))?.1
        == "invalid_field")
  }

  @Test func missingSecretsAreRejectedAtSetUp() {
    #expect(throws: ChannelError.self) {
      try WhatsAppAdapter(
        instance: .init(
          id: "wa", adapter: "whatsapp",
          settings: .init(["phone_number_id": "1", "access_token": "t", "verify_token": "v"])),
        context: MetaTest.context)
    }
    #expect(throws: ChannelError.self) {
      try MessengerAdapter(
        instance: .init(
          id: "fb", adapter: "messenger",
          settings: .init(["page_access_token": "t", "app_secret": "s", "verify_token": ""])),
        context: MetaTest.context)
    }
  }
}
