import JunctionAdapters
import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Vonage outbound against a stand-in: the exact form, and every part's `status` checked
/// although Vonage answers HTTP 200.
@Suite struct VonageOutboundTests {
  static func message(_ text: String?, id: String = "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE")
    -> OutboundMessage
  {
    OutboundMessage(
      messageId: id, conversationId: "conv_1",
      recipient: SenderProfile(externalId: "+79161234567", phone: "+79161234567"), text: text)
  }

  func send(_ message: OutboundMessage, reply: @escaping StandInServer.Script) async throws
    -> (SendResult, [ReceivedRequest])
  {
    let api = try StandInServer(script: reply)
    defer { api.stop() }
    let adapter = try VonageAdapterTests.adapter(apiBase: api.url)
    let result = await adapter.send(message, transport: LoopbackTransport())
    return (result, api.requests)
  }

  func fixture(_ name: String) -> StandInReply {
    .status(200, VonageAdapterTests.fixture(name))
  }

  @Test func postsTheSMSAPIFormWithAReceiptRequest() async throws {
    let (result, requests) = try await send(Self.message("Your order has shipped")) { _ in
      fixture("send-ok.json")
    }
    let request = try #require(requests.first)
    #expect(request.path == "/sms/json")
    #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    #expect(
      request.text
        == "api_key=abcd1234&api_secret=s3cr3tVonage&from=447700900000&to=79161234567"
        + "&text=Your%20order%20has%20shipped&status-report-req=1"
        + "&callback=https%3A%2F%2Fjunction.example.com%2Fv1%2Finbound%2Fsms-uk"
        + "&client-ref=msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE")
    #expect(
      result
        == .sent(
          providerMessageId: "0C000000217B7F02",
          details: ["sms": ["encoding": "GSM-7", "segments": 1]]))
  }

  @Test func nonGSMTextIsSentAsUnicodeAndEveryPartIdIsKept() async throws {
    let text = String(repeating: "Ваш заказ отправлен. ", count: 4)
    let (result, requests) = try await send(Self.message(text)) { _ in
      fixture("send-ok-two-parts.json")
    }
    #expect(try #require(requests.first).form["type"] == "unicode")
    #expect(requests.first?.form["text"] == text)
    #expect(
      result
        == .sent(
          providerMessageId: "0C000000217B7F10",
          details: [
            "sms": ["encoding": "UCS-2", "segments": 2],
            "message_ids": ["0C000000217B7F10", "0C000000217B7F11"],
          ]))
  }

  @Test func anHTTP200WithAFailedPartIsAFailure() async throws {
    let (result, _) = try await send(Self.message(String(repeating: "я", count: 100))) { _ in
      fixture("send-second-part-failed.json")
    }
    guard case .failed(let error, let unreachable, let optedOut) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(!unreachable && !optedOut)
    #expect(error.providerCode == "9")
    #expect(error.code == "account_refused")
    #expect(error.httpStatus == 200)
    #expect(
      error.message == "Partner quota exceeded (part 2 of 2); 1 other part(s) were accepted")
  }

  @Test func throttlingIsRetriedAndCredentialsOrRoutingAreNot() async throws {
    let (throttled, _) = try await send(Self.message("hi")) { _ in fixture("send-throttled.json") }
    guard case .retry(let error, let retryAfter) = throttled else {
      Issue.record("expected retry, got \(throttled)")
      return
    }
    #expect(error.code == "rate_limited")
    #expect(retryAfter == 1)
    let (credentials, _) = try await send(Self.message("hi")) { _ in
      fixture("send-bad-credentials.json")
    }
    guard case .failed(let authError, false, false) = credentials else {
      Issue.record("expected failed, got \(credentials)")
      return
    }
    #expect(authError.code == "unauthorized")
    let (unroutable, _) = try await send(Self.message("hi")) { _ in
      fixture("send-invalid-message.json")
    }
    guard case .failed(let routeError, true, false) = unroutable else {
      Issue.record("expected unreachable, got \(unroutable)")
      return
    }
    #expect(routeError.code == "invalid_recipient")
  }

  @Test func httpErrorsAndOddBodiesAreClassified() async throws {
    let (busy, _) = try await send(Self.message("hi")) { _ in .status(503, "") }
    guard case .retry = busy else {
      Issue.record("expected retry, got \(busy)")
      return
    }
    let (odd, _) = try await send(Self.message("hi")) { _ in .status(200, #"{"messages": []}"#) }
    guard case .retry(let error, _) = odd else {
      Issue.record("expected retry, got \(odd)")
      return
    }
    #expect(error.code == "invalid_response")
    let (numeric, _) = try await send(Self.message("hi")) { _ in
      .status(200, #"{"message-count":"1","messages":[{"status":0,"message-id":"X1"}]}"#)
    }
    #expect(
      numeric
        == .sent(providerMessageId: "X1", details: ["sms": ["encoding": "GSM-7", "segments": 1]]))
  }

  @Test func attachmentsAloneCannotBeSent() async throws {
    let (result, requests) = try await send(Self.message(nil)) { _ in .status(200) }
    guard case .failed(let error, _, _) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(error.code == "empty_message")
    #expect(requests.isEmpty)
  }
}
