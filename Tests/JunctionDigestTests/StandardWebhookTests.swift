import JunctionDigest
import Testing

@Suite struct StandardWebhookTests {
  static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
  static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
  static let timestamp: Int64 = 1_614_265_330
  static let body = Array(#"{"test": 2432232314}"#.utf8)
  static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

  /// The specification's published test vector.
  @Test func signsThePublishedExample() throws {
    let webhook = try StandardWebhook(secret: Self.secret)
    #expect(
      webhook.signature(id: Self.id, timestamp: Self.timestamp, body: Self.body) == Self.signature)
  }

  @Test func verifiesThePublishedExample() throws {
    let webhook = try StandardWebhook(secret: Self.secret)
    try webhook.verify(
      id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature, body: Self.body,
      now: Self.timestamp)
  }

  @Test func anyOfSeveralSignaturesMayMatchAndUnknownVersionsAreIgnored() throws {
    let webhook = try StandardWebhook(secret: Self.secret)
    let header = "v1a,abcd v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \(Self.signature)"
    try webhook.verify(
      id: Self.id, timestamp: String(Self.timestamp), signature: header, body: Self.body,
      now: Self.timestamp)
  }

  @Test func rejectsWrongSecretTamperedBodyAndMissingHeaders() throws {
    let other = try StandardWebhook(secret: StandardWebhook.generateSecret())
    #expect(throws: DigestError.noMatchingSignature) {
      try other.verify(
        id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature, body: Self.body,
        now: Self.timestamp)
    }
    let webhook = try StandardWebhook(secret: Self.secret)
    #expect(throws: DigestError.noMatchingSignature) {
      try webhook.verify(
        id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature,
        body: Array(#"{"test": 2432232315}"#.utf8), now: Self.timestamp)
    }
    #expect(throws: DigestError.noMatchingSignature) {
      try webhook.verify(
        id: "msg_other", timestamp: String(Self.timestamp), signature: Self.signature,
        body: Self.body,
        now: Self.timestamp)
    }
    #expect(throws: DigestError.missingHeader("webhook-id")) {
      try webhook.verify(id: nil, timestamp: "1", signature: "v1,x", body: Self.body, now: 1)
    }
    #expect(throws: DigestError.missingHeader("webhook-signature")) {
      try webhook.verify(id: "a", timestamp: "1", signature: "", body: Self.body, now: 1)
    }
    #expect(throws: DigestError.invalidTimestamp) {
      try webhook.verify(id: "a", timestamp: "soon", signature: "v1,x", body: Self.body, now: 1)
    }
  }

  @Test func timestampToleranceIsFiveMinutesBothWays() throws {
    let webhook = try StandardWebhook(secret: Self.secret)
    for skew: Int64 in [-300, 0, 300] {
      try webhook.verify(
        id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature, body: Self.body,
        now: Self.timestamp - skew)
    }
    #expect(throws: DigestError.timestampOutOfTolerance(skew: -301)) {
      try webhook.verify(
        id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature, body: Self.body,
        now: Self.timestamp + 301)
    }
    #expect(throws: DigestError.timestampOutOfTolerance(skew: 301)) {
      try webhook.verify(
        id: Self.id, timestamp: String(Self.timestamp), signature: Self.signature, body: Self.body,
        now: Self.timestamp - 301)
    }
  }

  @Test(arguments: ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not*base64", "whsec_c2hvcnQ="])
  func rejectsMalformedSecrets(_ secret: String) {
    #expect(throws: DigestError.self) { try StandardWebhook(secret: secret) }
  }

  @Test func generatedSecretsWork() throws {
    let secret = StandardWebhook.generateSecret()
    #expect(secret.hasPrefix("whsec_"))
    let webhook = try StandardWebhook(secret: secret)
    let signature = webhook.signature(id: "a", timestamp: 10, body: [1, 2])
    try webhook.verify(id: "a", timestamp: "10", signature: signature, body: [1, 2], now: 10)
  }
}
