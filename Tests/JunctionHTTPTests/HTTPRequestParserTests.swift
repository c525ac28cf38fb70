import JunctionHTTP
import Testing

/// Runs a parser over `chunks`, fed one at a time, and records the steps (bodies limited to
/// `limit`).
func parse(_ chunks: [[UInt8]], limit: Int = 1 << 20, maxHead: Int = 16 * 1024) -> [String] {
  var parser = HTTPRequestParser(maxHeadBytes: maxHead)
  var input = InputBuffer()
  var steps: [String] = []
  for chunk in chunks {
    chunk.withUnsafeBytes { input.append($0) }
    loop: while true {
      switch parser.next(&input) {
      case .needMore: break loop
      case .head(let head):
        steps.append(
          "head \(head.method) \(head.target) keepAlive=\(head.keepAlive) continue=\(head.expectsContinue)"
        )
        parser.expectBody(limit: limit)
      case .body(let body):
        steps.append("body \(String(decoding: body, as: UTF8.self))")
      case .failed(let error):
        steps.append("error \(error.status)")
        return steps
      }
    }
  }
  return steps
}

func parse(_ text: String, limit: Int = 1 << 20, maxHead: Int = 16 * 1024) -> [String] {
  parse([Array(text.utf8)], limit: limit, maxHead: maxHead)
}

@Suite struct HTTPRequestParserTests {
  static let valid = [
    "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    "POST /b?q=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: v\r\n\r\n",
    "GET /c HTTP/1.1\r\nHost: x\r\n\r\nGET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcPOST /f HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET / HTTP/1.0\r\n\r\n",
  ]

  @Test func headerNamesCompareCaseInsensitivelyForLettersOnly() {
    var headers = HTTPHeaders([("Content-Type", "a"), ("X-Long-Header-Name-Here", "b")])
    headers.add("x-a@", "c")
    #expect(headers["content-type"] == "a" && headers["CONTENT-TYPE"] == "a")
    #expect(headers["x-long-header-name-here"] == "b")
    #expect(headers["x-a@"] == "c" && headers["X-A@"] == "c")
    // Only letters fold: '@' (0x40) is not '`' (0x60), '[' is not '{'.
    #expect(headers["x-a`"] == nil)
    #expect(!HTTPHeaders.equalsIgnoringCase("a[", "A{"))
    #expect(!HTTPHeaders.equalsIgnoringCase("content-type", "content-typ"))
    #expect(HTTPHeaders.equalsIgnoringCase("Webhook-Signature", "webhook-signature"))
  }

  @Test func parsesOneRequestWithABody() {
    #expect(parse(Self.valid[0]) == ["head POST /a keepAlive=true continue=false", "body hello"])
  }

  @Test func parsesChunkedBodiesWithExtensionsAndTrailers() {
    #expect(
      parse(Self.valid[1]) == [
        "head POST /b?q=1 keepAlive=true continue=false", "body hello world",
      ])
  }

  @Test func parsesPipelinedRequests() {
    #expect(
      parse(Self.valid[2]) == [
        "head GET /c keepAlive=true continue=false", "body ",
        "head GET /d keepAlive=false continue=false", "body ",
      ])
    #expect(parse(Self.valid[3]).count == 4)
  }

  @Test func http10ClosesUnlessKeepAlive() {
    #expect(parse(Self.valid[4]) == ["head GET / keepAlive=false continue=false", "body "])
    #expect(
      parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first
        == "head GET / keepAlive=true continue=false")
  }

  /// The same steps whatever the split: every two-piece split, and byte by byte.
  @Test(arguments: valid)
  func everySplitGivesTheSameSteps(_ text: String) {
    let bytes = Array(text.utf8)
    let whole = parse([bytes])
    for cut in 0...bytes.count {
      #expect(parse([Array(bytes[..<cut]), Array(bytes[cut...])]) == whole, "split at \(cut)")
    }
    #expect(parse(bytes.map { [$0] }) == whole)
  }

  /// Long lines are scanned eight bytes at a time: a bare CR or LF at any offset of a long
  /// header value is still refused, and the head's end is found wherever it falls.
  @Test func bareLineBreaksAreFoundAtEveryOffsetOfLongLines() {
    for length in [1, 7, 8, 9, 15, 16, 17, 30] {
      let value = String(repeating: "v", count: length)
      let good = "GET /x HTTP/1.1\r\nHost: x\r\nX-Long: \(value)\r\n\r\n"
      #expect(
        parse(good) == ["head GET /x keepAlive=true continue=false", "body "], "length \(length)")
      let split = Array(good.utf8)
      for cut in stride(from: 0, through: split.count, by: 3) {
        #expect(
          parse([Array(split[..<cut]), Array(split[cut...])])
            == ["head GET /x keepAlive=true continue=false", "body "])
      }
      for position in 0..<length {
        for bare in ["\r", "\n"] {
          var broken = Array(value)
          broken[position] = Character(bare)
          let head = "GET /x HTTP/1.1\r\nHost: x\r\nX-Long: \(String(broken))\r\n\r\n"
          #expect(parse(head).last?.hasPrefix("error 400") == true, "\(bare) at \(position)")
        }
      }
    }
  }

  @Test func expectContinueIsReported() {
    #expect(
      parse("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n").first
        == "head POST / keepAlive=true continue=true")
    #expect(parse("POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n") == ["error 417"])
  }

  /// The request-smuggling and framing checklist (cf. SwiftNIO's HTTPDecoderTest).
  @Test(arguments: [
    (
      "both lengths",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400
    ),
    (
      "TE then CL",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400
    ),
    (
      "conflicting CL",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400
    ),
    ("conflicting CL list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
    ("signed CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400),
    ("negative CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
    ("hex CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc", 400),
    ("huge CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
    (
      "gzip, chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501
    ),
    (
      "chunked, gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 501
    ),
    ("xchunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", 501),
    ("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ("space before colon", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc", 400),
    ("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400),
    ("bare LF", "GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
    ("bare CR", "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400),
    ("no Host", "GET / HTTP/1.1\r\n\r\n", 400),
    ("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ("bad method", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("bad version", "GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400),
    ("HTTP/2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ("extra space", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("absolute target", "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("NUL in value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n", 400),
    ("header without colon", "GET / HTTP/1.1\r\nHost: x\r\nJunk\r\n\r\n", 400),
    ("space after version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400),
    ("no version", "GET /\r\nHost: x\r\n\r\n", 400),
    ("asterisk with more", "OPTIONS *x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("short version", "GET / HTTP/1\r\nHost: x\r\n\r\n", 400),
    ("non-token byte in name", "GET / HTTP/1.1\r\nHost: x\r\nX@Y: v\r\n\r\n", 400),
    ("non-ASCII name", "GET / HTTP/1.1\r\nHost: x\r\nИмя: v\r\n\r\n", 400),
    ("CL with a space inside", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n", 400),
  ])
  func rejectsSmugglingAndMalformedHeads(_ name: String, _ text: String, _ status: Int) {
    #expect(parse(text).last == "error \(status)", "\(name)")
  }

  @Test func everyTokenByteIsAcceptedInNamesAndMethods() {
    // RFC 9110 §5.6.2 tchar, all of them.
    let tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    let steps = parse("\(tchars) /a?b=c HTTP/1.0\r\n\(tchars): v\r\nContent-Length: 2\r\n\r\nok")
    #expect(steps.count == 2 && steps.last == "body ok", "\(steps)")
    #expect(parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").first?.hasPrefix("head") == true)
  }

  @Test func identicalDuplicateLengthsAreAccepted() {
    #expect(
      parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc").last
        == "body abc")
  }

  @Test(arguments: [
    ("non-hex size", "zz\r\n"), ("empty size", "\r\n"),
    ("overflowing size", "fffffffffffffffff\r\n"),
    ("missing CRLF after data", "3\r\nabcX\r\n0\r\n\r\n"),
    ("bare LF in trailer", "0\r\nA: b\n\r\n"),
  ])
  func rejectsBadChunking(_ name: String, _ body: String) {
    let head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    #expect(parse(head + body).last == "error 400", "\(name)")
  }

  @Test func headLimitIsExactAndInclusive() {
    let prefix = "GET / HTTP/1.1\r\nHost: x\r\nX: "
    let fill = 1024 - prefix.utf8.count - 4
    let exact = prefix + String(repeating: "a", count: fill) + "\r\n\r\n"
    #expect(exact.utf8.count == 1024)
    #expect(parse(exact, maxHead: 1024).first?.hasPrefix("head") == true)
    let over = prefix + String(repeating: "a", count: fill + 1) + "\r\n\r\n"
    #expect(parse(over, maxHead: 1024) == ["error 431"])
    // A head that never ends is cut off as soon as it passes the limit.
    #expect(parse(prefix + String(repeating: "a", count: 2000), maxHead: 1024) == ["error 431"])
  }

  @Test func bodyLimitForBothFramings() {
    #expect(
      parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limit: 10).last
        == "error 413")
    #expect(
      parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", limit: 10).last
        == "body 0123456789")
    let chunked =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n"
    #expect(parse(chunked, limit: 10).last == "error 413")
    #expect(parse(chunked, limit: 11).last == "body 01234567890")
  }

  /// Found by bench/fuzz (http-parser): a trailer line over the head limit was a 400 when it
  /// arrived whole (checked for shape first) but a 431 when it arrived in pieces.
  @Test func overlongTrailerIsTheSameErrorWhateverTheSplit() {
    let text =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
      + String(repeating: "\u{FF}", count: 300) + "\r\n\r\n"
    let bytes = Array(text.utf8)
    let whole = parse([bytes], maxHead: 256)
    #expect(whole.last == "error 431")
    #expect(parse(bytes.map { [$0] }, maxHead: 256) == whole)
  }

  @Test func randomBytesNeverCrashTheParser() {
    var state: UInt64 = 0x1234_5678
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let alphabet = Array(
      "GET POST / HTTP/1.1\r\n:Host: Content-Length: 0123456789abcdef;chunked Transfer-Encoding"
        .utf8)
    for _ in 0..<3000 {
      let bytes = (0..<Int(next() % 200)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))]
      }
      _ = parse([bytes], limit: 100, maxHead: 512)
    }
  }
}
