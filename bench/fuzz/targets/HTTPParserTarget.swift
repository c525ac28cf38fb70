// fuzz-modules: JunctionHTTP
// The HTTP/1.1 request parser (JunctionHTTP): arbitrary bytes, fed whole and in arbitrary
// splits. Input: [limits byte][split seed byte][request stream...].
//
// Checks: no trap; any split of the input gives exactly the steps of the whole input (the
// parser is a state machine fed whatever recv returns); no body over its limit; errors carry a
// 4xx/5xx status and are final; what a head carries survives the request and router helpers.
@testable import JunctionHTTP

let headLimits = [64, 256, 1024, 16 * 1024]
let bodyLimits = [0, 16, 1024, 1 << 20]

let router: HTTPRouter = {
  let router = HTTPRouter()
  for pattern in [
    "/v1/inbound/{channel}", "/v1/events", "/v1/conversations/{id}",
    "/v1/conversations/{id}/messages", "/v1/subscriptions/{id}/replay", "/healthz",
  ] {
    router.add(.post, pattern) { _, responder in responder.respond(.json(200, "{}")) }
    router.add(.get, pattern) { _, responder in responder.respond(.json(200, "{}")) }
  }
  return router
}()

/// Runs the parser over `chunks` the way a connection does and records every step.
func steps(_ chunks: [ArraySlice<UInt8>], maxHead: Int, bodyLimit: Int) -> [HTTPRequestParser.Step]
{
  var parser = HTTPRequestParser(maxHeadBytes: maxHead)
  var input = InputBuffer()
  var recorded: [HTTPRequestParser.Step] = []
  for chunk in chunks {
    chunk.withUnsafeBytes { input.append($0) }
    while true {
      let step = parser.next(&input)
      if step == .needMore { break }
      recorded.append(step)
      switch step {
      case .head(let head):
        invariant(!parser.isIdle, "idle right after a head")
        parser.expectBody(limit: bodyLimit)
        exercise(head)
      case .body(let body):
        invariant(body.count <= bodyLimit, "body of \(body.count) bytes over limit \(bodyLimit)")
      case .failed(let error):
        invariant((400..<600).contains(error.status), "error status \(error.status)")
        invariant(parser.next(&input) == .failed(error), "an error was not final")
        return recorded
      case .needMore:
        break
      }
    }
  }
  return recorded
}

/// What handlers do with a parsed head: the request value, query, router, percent-decoding.
func exercise(_ head: HTTPRequestHead) {
  let request = HTTPRequest(
    method: head.method, target: head.target, version: head.version, headers: head.headers)
  _ = request.queryParameters()
  _ = request.queryValue("after")
  _ = router.match(head.method, request.path)
  _ = FormEncoding.percentDecode(request.path)
  for field in head.headers { _ = head.headers[field.name] }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  var input = FuzzInput(data, count)
  let limits = input.byte()
  var random = SplitMix(state: UInt64(input.byte()))
  let stream = input.rest
  let maxHead = headLimits[Int(limits & 3)]
  let bodyLimit = bodyLimits[Int((limits >> 2) & 3)]

  let whole = steps([stream[...]], maxHead: maxHead, bodyLimit: bodyLimit)
  var chunks: [ArraySlice<UInt8>] = []
  var start = 0
  while start < stream.count {
    // Mostly small pieces (1-8 bytes) with the odd large one, as recv may return.
    let size = random.below(4) == 0 ? 1 + random.below(512) : 1 + random.below(8)
    let end = min(stream.count, start + size)
    chunks.append(stream[start..<end])
    start = end
  }
  let split = steps(chunks, maxHead: maxHead, bodyLimit: bodyLimit)
  invariant(whole == split, "split input gave other steps:\n\(whole)\nvs\n\(split)")
  return 0
}
