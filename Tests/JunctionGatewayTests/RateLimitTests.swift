import JunctionConfig
import JunctionModel
import JunctionTesting
import Testing

/// A flood from one channel or one token is answered 429 instead of slowing everyone.
@Suite(.serialized) struct RateLimitTests {
  @Test func aFloodingChannelGets429WhileAnotherChannelIsServed() throws {
    let otherSecret = WebhookSigner.randomSecret()
    let other = ChannelInstanceConfig(
      id: "other", adapter: "api", settings: ChannelSettings(["secret": .string(otherSecret)]))
    let harness = try GatewayHarness(channels: [other]) { $0.limits.inboundPerChannel = 5 }
    defer { harness.stop() }
    let client = harness.client()
    var statuses: [Int] = []
    var retryAfter: String?
    for index in 0..<40 {
      let response = try harness.post(
        client, ["id": .string("m-\(index)"), "from": ["id": "u"], "text": "flood"])
      statuses.append(response.status)
      if response.status == 429 { retryAfter = response.header("Retry-After") }
    }
    #expect(statuses.filter { $0 == 200 }.count >= 5)
    #expect(statuses.filter { $0 == 429 }.count >= 20)
    #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
    // The limited requests stored nothing; the other channel is not affected.
    let stored = try harness.events(client, types: "message.received").count
    #expect(stored == statuses.filter { $0 == 200 }.count)
    let signer = try WebhookSigner(secret: otherSecret)
    let message: JSON = ["id": "x-1", "from": ["id": "v"], "text": "hello"]
    let body = message.serialized()
    let fine = try client.request(
      "POST", "/v1/inbound/other", headers: signer.headers(for: body), body: body)
    #expect(fine.status == 200)
  }

  @Test func aFloodingTokenGets429() throws {
    let harness = try GatewayHarness { $0.limits.apiPerToken = 5 }
    defer { harness.stop() }
    let client = harness.client()
    var limited = 0
    for _ in 0..<40 where try harness.get(client, "/v1/events?after=0").status == 429 {
      limited += 1
    }
    #expect(limited >= 20)
    #expect(try harness.get(client, "/healthz").status == 200)
  }
}
