import JunctionAdapters
import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Kannel outbound against a stand-in smsbox: the exact sendsms query and the
/// classification of smsbox's documented answers.
@Suite struct KannelOutboundTests {
  static func message(_ text: String?, id: String = "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE")
    -> OutboundMessage
  {
    OutboundMessage(
      messageId: id, conversationId: "conv_1",
      recipient: SenderProfile(externalId: "+79161234567", phone: "+79161234567"), text: text)
  }

  static func answer(_ status: Int, _ fixture: String) -> StandInReply {
    let body = (try? Fixtures.bytes("kannel", fixture)) ?? []
    return StandInReply(
      HTTPResponse(
        status: status, headers: HTTPHeaders([("Content-Type", "text/html")]), body: body))
  }

  func send(
    _ message: OutboundMessage, settings: JSONObject = [:],
    reply: @escaping StandInServer.Script = { _ in answer(202, "sendsms-202-accepted.txt") }
  ) async throws -> (SendResult, [ReceivedRequest]) {
    let smsbox = try StandInServer(script: reply)
    defer { smsbox.stop() }
    let adapter = try KannelAdapterTests.adapter(settings, sendsms: smsbox.url)
    let result = await adapter.send(message, transport: LoopbackTransport())
    return (result, smsbox.requests)
  }

  @Test func sendsGSMTextWithCoding0AndADeliveryReportURL() async throws {
    let (result, requests) = try await send(Self.message("Your order has shipped"))
    let request = try #require(requests.first)
    #expect(request.method == "GET")
    #expect(request.path == "/cgi-bin/sendsms")
    let dlrURL =
      "http://10.0.0.5:8080/v1/inbound/sms-kannel?dlr=%d&msg=msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE"
      + "&reply=%A&fid=%F&ts=%T"
    #expect(
      FormEncoding.decode(request.query).map { [$0.name, $0.value] } == [
        ["username", "junction"], ["password", "kannel-pass"], ["from", "+15005550006"],
        ["to", "+79161234567"], ["text", "Your order has shipped"], ["charset", "UTF-8"],
        ["coding", "0"], ["dlr-mask", "31"], ["dlr-url", dlrURL],
      ])
    // The dlr-url travels percent-encoded, so Kannel sees its escapes only after decoding.
    #expect(request.query.contains("dlr-url=http%3A%2F%2F10.0.0.5%3A8080%2F"))
    #expect(request.query.contains("%3Fdlr%3D%25d%26msg%3D"))
    #expect(
      result
        == .sent(
          providerMessageId: "msg_01JD3Q7ZK9X4M2T8V6B0N5R1CE",
          details: ["sms": ["encoding": "GSM-7", "segments": 1]]))
  }

  @Test func sendsOtherTextAsUCS2WithTheTokenRouteAndMask() async throws {
    let (result, requests) = try await send(
      Self.message("Ответ: ваш заказ 😀"),
      settings: ["inbound_token": "k4nn3l-t0ken", "smsc": "SMPP1", "dlr_mask": 3])
    let form = try #require(requests.first).form
    #expect(form["text"] == "Ответ: ваш заказ 😀")
    #expect(form["coding"] == "2")
    #expect(form["charset"] == "UTF-8")
    #expect(form["dlr-mask"] == "3")
    #expect(form["smsc"] == "SMPP1")
    #expect(form["dlr-url"]?.hasSuffix("&ts=%T&token=k4nn3l-t0ken") == true)
    guard case .sent(_, let details) = result else {
      Issue.record("expected sent, got \(result)")
      return
    }
    #expect(details["sms"] == ["encoding": "UCS-2", "segments": 1])
  }

  @Test func withoutADLRMaskNoReportIsRequested() async throws {
    let (_, requests) = try await send(Self.message("hi"), settings: ["dlr_mask": 0])
    let form = try #require(requests.first).form
    #expect(form["dlr-mask"] == nil)
    #expect(form["dlr-url"] == nil)
  }

  @Test(arguments: [
    (202, "sendsms-202-accepted.txt", "sent"), (202, "sendsms-202-queued.txt", "sent"),
    (403, "sendsms-403-authorization.txt", "failed:unauthorized"),
    (403, "sendsms-403-not-routable.txt", "failed:not_routable"),
    (400, "sendsms-400-missing-receiver.txt", "failed:invalid_request"),
    (503, "sendsms-503-temporal.txt", "retry:http_503"),
    (500, "sendsms-503-temporal.txt", "retry:http_500"),
  ])
  func classifiesSmsboxAnswers(_ status: Int, _ fixture: String, _ expected: String) async throws {
    let (result, _) = try await send(Self.message("hi")) { _ in Self.answer(status, fixture) }
    switch result {
    case .sent: #expect(expected == "sent")
    case .failed(let error, false, false): #expect(expected == "failed:\(error.code)")
    case .retry(let error, _): #expect(expected == "retry:\(error.code)")
    default: Issue.record("unexpected \(result)")
    }
  }

  @Test func emptyTextIsNotSent() async throws {
    let (result, requests) = try await send(Self.message(nil))
    guard case .failed(let error, _, _) = result else {
      Issue.record("expected failed, got \(result)")
      return
    }
    #expect(error.code == "empty_message")
    #expect(requests.isEmpty)
  }
}
