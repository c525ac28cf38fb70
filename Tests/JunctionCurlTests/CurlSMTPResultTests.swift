import JunctionCurl
import Testing

@Suite struct CurlSMTPResultTests {
  static let greeting = [
    "220 mx.junction.test ESMTP Postfix", "250-mx.junction.test", "250-PIPELINING",
    "250-SIZE 10240000", "250 SMTPUTF8",
  ]

  @Test func acceptedTakesTheFinal250() {
    let lines =
      Self.greeting + [
        "250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
        "250 2.0.0 Ok: queued as 1DDD9F78643", "221 2.0.0 Bye",
      ]
    let result = CurlSMTPResult.classify(replies: lines, error: nil)
    #expect(result.outcome == .accepted)
    #expect(result.replyCode == 250)
    #expect(result.replyText == "2.0.0 Ok: queued as 1DDD9F78643")
  }

  @Test(arguments: [
    (
      "550 5.1.1 <x@junction.test>: Recipient address rejected", 550,
      CurlSMTPResult.Outcome.permanentFailure
    ),
    ("554 5.7.1 <x@other.example>: Relay access denied", 554, .permanentFailure),
    ("451 4.3.0 <x@deferred.test>: Try again later", 451, .temporaryFailure),
    ("452 4.3.1 Insufficient system storage", 452, .temporaryFailure),
    ("535 5.7.8 Error: authentication failed", 535, .permanentFailure),
  ])
  func refusalsAreClassifiedByCode(line: String, code: Int, outcome: CurlSMTPResult.Outcome) {
    let error = CurlError(code: 55, message: "RCPT failed")
    let result = CurlSMTPResult.classify(
      replies: Self.greeting + ["250 2.1.0 Ok", line, "221 2.0.0 Bye"], error: error)
    #expect(result.outcome == outcome)
    #expect(result.replyCode == code)
    #expect(line.hasSuffix(result.replyText))
    #expect(result.error == error)
  }

  @Test func multiLineRefusalIsJoined() {
    let lines = ["220 hi", "550-5.7.1 first line", "550-5.7.1 second line", "550 5.7.1 last"]
    let result = CurlSMTPResult.classify(replies: lines, error: CurlError(code: 55, message: "x"))
    #expect(result.replyCode == 550)
    #expect(result.replyText == "5.7.1 first line 5.7.1 second line 5.7.1 last")
  }

  @Test func withoutAReplyTheErrorDecides() {
    let refused = CurlSMTPResult.classify(
      replies: [], error: CurlError(code: 7, message: "refused"))
    #expect(refused.outcome == .temporaryFailure)
    #expect(refused.replyCode == nil)
    let timeout = CurlSMTPResult.classify(
      replies: ["220 hi"], error: CurlError(code: 28, message: "t"))
    #expect(timeout.outcome == .temporaryFailure)
    let invalid = CurlSMTPResult.classify(
      replies: [], error: CurlError(kind: .invalidRequest, code: 0, message: "bad address"))
    #expect(invalid.outcome == .permanentFailure)
  }

  @Test func malformedLinesAreIgnored() {
    let lines = ["", "5", "55", "abc def", "5500 x", "550x", "250"]
    let result = CurlSMTPResult.classify(
      replies: lines, error: CurlError(code: 56, message: "reset"))
    #expect(result.outcome == .temporaryFailure)
    #expect(result.replyCode == nil)
  }
}
