/// An incremental HTTP/1.1 request parser: a value-type state machine with no I/O.
///
/// The connection appends received bytes to ``InputBuffer`` and calls ``next(_:)`` until it
/// answers ``Step/needMore``. Steps come in order: ``Step/head(_:)`` (the caller looks up the
/// route and calls ``expectBody(limit:)``), then ``Step/body(_:)`` with the whole body, then
/// the parser is ready for the next pipelined request. Any split of the input yields the same
/// steps. Errors are final: the caller answers with the error's status and closes.
public struct HTTPRequestParser: Sendable {
  public enum Step: Sendable, Equatable {
    case needMore
    case head(HTTPRequestHead)
    case body([UInt8])
    case failed(HTTPParseError)
  }

  enum State: Sendable {
    case head(scanned: Int)
    case awaitingBodyDecision(HTTPRequestHead.Framing)
    case body(remaining: Int)
    case chunkSize
    case chunkData(remaining: Int)
    case chunkDataEnd
    case trailers(scanned: Int)
    case failed(HTTPParseError)
  }

  public let maxHeadBytes: Int
  var state: State = .head(scanned: 0)
  var body: [UInt8] = []
  var bodyLimit = 0

  public init(maxHeadBytes: Int = 16 * 1024) { self.maxHeadBytes = maxHeadBytes }

  /// Whether the parser is between requests with nothing consumed of the next one.
  public var isIdle: Bool {
    if case .head(let scanned) = state { return scanned == 0 }
    return false
  }

  /// After ``Step/head(_:)``: the body may be at most `limit` bytes. A declared length over the
  /// limit fails at once (``Step/failed(_:)`` on the next call) without reading the body.
  public mutating func expectBody(limit: Int) {
    guard case .awaitingBodyDecision(let framing) = state else { return }
    bodyLimit = limit
    body = []
    switch framing {
    case .none:
      state = .body(remaining: 0)
    case .length(let length):
      if length > limit {
        state = .failed(.bodyTooLarge(limit))
      } else {
        body.reserveCapacity(length)
        state = .body(remaining: length)
      }
    case .chunked:
      state = .chunkSize
    }
  }

  /// Advances over `input`, consuming what it uses.
  public mutating func next(_ input: inout InputBuffer) -> Step {
    while true {
      switch state {
      case .failed(let error):
        return .failed(error)
      case .head(let scanned):
        guard let end = input.find(crlfcrlf: scanned) else {
          if input.readable > maxHeadBytes { return fail(.headTooLarge) }
          state = .head(scanned: max(0, input.readable - 3))
          return .needMore
        }
        if end > maxHeadBytes { return fail(.headTooLarge) }
        let result = input.withReadable {
          HTTPHeadParser.parse(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<end])))
        }
        input.consume(end)
        switch result {
        case .success(let head):
          state = .awaitingBodyDecision(head.framing)
          return .head(head)
        case .failure(let error):
          return fail(error)
        }
      case .awaitingBodyDecision:
        return .needMore
      case .body(let remaining):
        if remaining > 0 {
          let take = min(remaining, input.readable)
          guard take > 0 else { return .needMore }
          input.take(take, into: &body)
          state = .body(remaining: remaining - take)
          if remaining - take > 0 { return .needMore }
        }
        return finishBody()
      case .chunkSize:
        guard let lineEnd = input.find(crlf: 0) else {
          if input.readable > 4096 { return fail(.bad("chunk size line too long")) }
          return .needMore
        }
        let size = input.withReadable {
          Self.parseChunkSize(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<lineEnd])))
        }
        input.consume(lineEnd + 2)
        guard let size else { return fail(.bad("invalid chunk size")) }
        if size == 0 {
          state = .trailers(scanned: 0)
        } else {
          guard size <= bodyLimit - body.count else { return fail(.bodyTooLarge(bodyLimit)) }
          state = .chunkData(remaining: size)
        }
      case .chunkData(let remaining):
        let take = min(remaining, input.readable)
        guard take > 0 else { return .needMore }
        input.take(take, into: &body)
        state = remaining - take > 0 ? .chunkData(remaining: remaining - take) : .chunkDataEnd
        if remaining - take > 0 { return .needMore }
      case .chunkDataEnd:
        guard input.readable >= 2 else { return .needMore }
        guard input.byte(0) == 13 && input.byte(1) == 10 else {
          return fail(.bad("chunk data not followed by CRLF"))
        }
        input.consume(2)
        state = .chunkSize
      case .trailers(let consumed):
        // Trailer section: field lines until an empty line; checked for shape and ignored.
        guard let lineEnd = input.find(crlf: 0) else {
          if consumed + input.readable > maxHeadBytes { return fail(.headTooLarge) }
          return .needMore
        }
        if lineEnd == 0 {
          input.consume(2)
          return finishBody()
        }
        // The size first: a line that arrives in pieces is cut off by size before its end is
        // seen, so checking its shape first would make the answer depend on the split.
        guard consumed + lineEnd + 2 <= maxHeadBytes else { return fail(.headTooLarge) }
        let valid = input.withReadable {
          HTTPHeadParser.validTrailers(
            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<(lineEnd + 2)])))
        }
        input.consume(lineEnd + 2)
        guard valid else { return fail(.bad("malformed trailer")) }
        state = .trailers(scanned: consumed + lineEnd + 2)
      }
    }
  }

  private mutating func finishBody() -> Step {
    let complete = body
    body = []
    state = .head(scanned: 0)
    return .body(complete)
  }

  private mutating func fail(_ error: HTTPParseError) -> Step {
    state = .failed(error)
    return .failed(error)
  }

  /// Hex chunk size, ignoring chunk extensions after `;`; nil when malformed or over 2^53.
  static func parseChunkSize(_ line: UnsafeRawBufferPointer) -> Int? {
    var value = 0
    var digits = 0
    for byte in line {
      if byte == UInt8(ascii: ";") { break }
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
        // Whitespace is allowed only before the extension.
        continue
      }
      guard let digit = FormEncoding.hexValue(byte) else { return nil }
      digits += 1
      guard digits <= 13 else { return nil }
      value = value << 4 | Int(digit)
    }
    return digits > 0 ? value : nil
  }
}
