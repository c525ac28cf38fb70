import Foundation
import JunctionAdapters
import JunctionChannels
import JunctionDigest
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Twilio outbound against a stand-in API: the exact request and the classification of
/// Twilio's realistic answers; media downloads with basic auth and a redirect.
@Suite struct TwilioOutboundTests {
  static func message(_ text: String?, media: [String] = []) -> OutboundMessage {
    OutboundMessage(
      messageId: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE", conversationId: "conv_1",
      recipient: SenderProfile(externalId: "+14017122661", phone: "+14017122661"), text: text,
      attachments: media.map { Attachment(kind: "image", url: $0) })
  }

  static func fixture(_ name: String) -> String {
    String(decoding: (try? Fixtures.bytes("twilio", name)) ?? [], as: UTF8.self)
  }

  func send(
    _ message: OutboundMessage, from: String = "+15558675310",
    reply: @escaping StandInServer.Script
  ) async throws -> (SendResult, [ReceivedRequest]) {
    let api = try StandInServer(script: reply)
    defer { api.stop() }
    let adapter = try TwilioAdapterTests.adapter(["from": .string(from)], apiBase: api.url)
    let result = await adapter.send(message, transport: LoopbackTransport())
    return (result, api.requests)
  }

  @Test func postsTheFormTwilioExpectsWithBasicAuth() async throws {
    let (result, requests) = try await send(Self.message("Your order #12345 has shipped.")) { _ in
      .status(201, Self.fixture("send-201.json"))
    }
    let request = try #require(requests.first)
    #expect(request.method == "POST")
    #expect(request.path == "/2010-04-01/Accounts/ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/Messages.json")
    #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    let credentials = "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx:" + TwilioAdapterTests.token
    #expect(request.header("Authorization") == "Basic " + Base64.encode(Array(credentials.utf8)))
    #expect(
      request.text
        == "To=%2B14017122661&From=%2B15558675310&Body=Your%20order%20%2312345%20has%20shipped."
        + "&StatusCallback=https%3A%2F%2Fjunction.example.com%2Fv1%2Finbound%2Fsms-us")
    #expect(
      result
        == .sent(
          providerMessageId: "SM2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c",
          details: ["sms": ["encoding": "GSM-7", "segments": 1]]))
  }

  @Test func usesTheMessagingServiceAndRepeatsMediaUrl() async throws {
    let media = ["https://junction.example.com/v1/blobs/a.jpg", "https://junction.example.com/b"]
    let text = String(repeating: "Привет! ", count: 10)
    let (result, requests) = try await send(
      Self.message(text, media: media), from: "MG9752274e9e519418a7406176694466fa"
    ) { _ in .status(201, #"{"sid": "MM1", "status": "accepted", "num_segments": "0"}"#) }
    let pairs = FormEncoding.decode(try #require(requests.first).text)
    #expect(
      pairs.first { $0.name == "MessagingServiceSid" }?.value
        == "MG9752274e9e519418a7406176694466fa")
    #expect(!pairs.contains { $0.name == "From" })
    #expect(pairs.filter { $0.name == "MediaUrl" }.map(\.value) == media)
    #expect(pairs.first { $0.name == "Body" }?.value == text)
    guard case .sent(let sid, let details) = result else {
      Issue.record("expected sent, got \(result)")
      return
    }
    #expect(sid == "MM1")
    #expect(details["sms"] == ["encoding": "UCS-2", "segments": 2])
  }

  @Test func optedOutRecipientsFailPermanentlyAndAreFlagged() async throws {
    let (result, _) = try await send(Self.message("hi")) { _ in
      .status(400, Self.fixture("error-21610.json"))
    }
    guard case .failed(let error, let unreachable, let optedOut) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(optedOut && !unreachable)
    #expect(error.code == "opted_out")
    #expect(error.providerCode == "21610")
    #expect(error.httpStatus == 400)
    #expect(error.message == "Attempt to send to unsubscribed recipient")
  }

  @Test(arguments: ["error-21211.json", "error-21614.json"])
  func invalidNumbersAreUnreachable(_ fixture: String) async throws {
    let (result, _) = try await send(Self.message("hi")) { _ in
      .status(400, Self.fixture(fixture))
    }
    guard case .failed(let error, let unreachable, let optedOut) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(unreachable && !optedOut)
    #expect(error.code == "invalid_recipient")
  }

  @Test func rateLimitsAndServerErrorsAreRetried() async throws {
    let (limited, _) = try await send(Self.message("hi")) { _ in
      StandInReply(
        HTTPResponse(
          status: 429,
          headers: HTTPHeaders([("Content-Type", "application/json"), ("Retry-After", "5")]),
          body: Array(Self.fixture("error-20429.json").utf8)))
    }
    guard case .retry(let error, let retryAfter) = limited else {
      Issue.record("expected retry, got \(limited)")
      return
    }
    #expect(retryAfter == 5)
    #expect(error.providerCode == "20429")
    let (busy, _) = try await send(Self.message("hi")) { _ in .status(503, "") }
    guard case .retry = busy else {
      Issue.record("expected retry, got \(busy)")
      return
    }
  }

  @Test func badCredentialsFailWithoutRetrying() async throws {
    let (result, _) = try await send(Self.message("hi")) { _ in
      .status(401, Self.fixture("error-20003.json"))
    }
    guard case .failed(let error, false, false) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(error.code == "unauthorized")
  }

  @Test func aSuccessWithoutASidIsRetriedAndNothingToSendFails() async throws {
    let (odd, _) = try await send(Self.message("hi")) { _ in .status(201, "<html>") }
    guard case .retry(let error, _) = odd else {
      Issue.record("expected retry, got \(odd)")
      return
    }
    #expect(error.code == "invalid_response")
    let (empty, requests) = try await send(Self.message("")) { _ in .status(201) }
    guard case .failed(let emptyError, _, _) = empty else {
      Issue.record("expected failed, got \(empty)")
      return
    }
    #expect(emptyError.code == "empty_message")
    #expect(requests.isEmpty)
  }

  @Test func anUnreachableAPIIsRetried() async throws {
    let probe = try StandInServer()
    let url = probe.url
    probe.stop()
    let adapter = try TwilioAdapterTests.adapter(apiBase: url)
    guard
      case .retry(let error, _) = await adapter.send(
        Self.message("hi"), transport: LoopbackTransport())
    else {
      Issue.record("expected retry")
      return
    }
    #expect(error.code == "connection_failed")
  }

  @Test func downloadsMediaWithBasicAuthFollowingTheRedirectWithoutCredentials() async throws {
    // The storage Twilio redirects to, under another host name (`localhost`).
    let api = try StandInServer { _ in
      StandInReply(
        HTTPResponse(
          status: 200, headers: HTTPHeaders([("Content-Type", "image/jpeg")]),
          body: [0xFF, 0xD8, 0xFF, 0xE0]))
    }
    defer { api.stop() }
    let redirecting = try StandInServer { _ in
      StandInReply(
        HTTPResponse(
          status: 307,
          headers: HTTPHeaders([("Location", "http://localhost:\(api.port)/media/ME1.jpg")])))
    }
    defer { redirecting.stop() }
    let adapter = try TwilioAdapterTests.adapter(apiBase: redirecting.url)
    let media = Attachment(
      kind: "image",
      url: redirecting.url + "/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1")
    let result = await adapter.download(media, transport: LoopbackTransport(), maxBytes: 1 << 20)
    #expect(
      result
        == .downloaded(DownloadedFile(bytes: [0xFF, 0xD8, 0xFF, 0xE0], contentType: "image/jpeg")))
    #expect(redirecting.requests.first?.header("Authorization")?.hasPrefix("Basic ") == true)
    #expect(api.requests.count == 1)
    #expect(api.requests.first?.header("Authorization") == nil)
    let small = await adapter.download(media, transport: LoopbackTransport(), maxBytes: 2)
    guard case .failed(let error) = small else {
      Issue.record("expected too_large, got \(small)")
      return
    }
    #expect(error.code == "too_large")
  }
}
