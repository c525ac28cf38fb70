import JunctionModel

/// Parses and validates a complete request head (request line, header fields, final CRLF).
///
/// Strict where leniency enables request smuggling (RFC 9112 §6.3, §11.2): bare CR or LF,
/// whitespace before a colon, obsolete line folding, `Content-Length` with `Transfer-Encoding`,
/// differing lengths and codings other than `chunked` are all rejected.
enum HTTPHeadParser {
  static func parse(_ head: UnsafeRawBufferPointer) -> Result<HTTPRequestHead, HTTPParseError> {
    // The request line.
    guard let firstEnd = lineEnd(head, from: 0) else {
      return .failure(.bad("bare CR or LF in request head"))
    }
    let requestLine: (HTTPMethod, String, HTTPVersion)
    switch parseRequestLine(head, 0..<firstEnd) {
    case .success(let parsed): requestLine = parsed
    case .failure(let error): return .failure(error)
    }
    // Header fields, one pass; framing-relevant fields are recognised by their bytes.
    var headers = HTTPHeaders(capacity: 12)
    var facts = FramingFacts()
    var lineStart = firstEnd + 2
    while true {
      guard let end = lineEnd(head, from: lineStart) else {
        return .failure(.bad("bare CR or LF in request head"))
      }
      if end == lineStart { break }
      switch parseField(head, lineStart..<end) {
      case .success(let (name, value)):
        facts.note(
          name: UnsafeRawBufferPointer(rebasing: head[lineStart..<(lineStart + name.utf8.count)]),
          value: value)
        headers.add(name, value)
      case .failure(let error):
        return .failure(error)
      }
      lineStart = end + 2
    }
    guard lineStart + 2 == head.count else { return .failure(.bad("incomplete request head")) }
    return interpret(
      method: requestLine.0, target: requestLine.1, version: requestLine.2, headers: headers,
      facts: facts)
  }

  /// Offset of the CR of the CRLF ending the line at `start`; nil for a bare CR or LF or no end.
  private static func lineEnd(_ head: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var index = start
    // Eight bytes at a time while none is a CR or an LF.
    if let base = head.baseAddress {
      while index + 8 <= head.count {
        let word = ByteWord.load(base, index)
        if ByteWord.contains(word, 13) || ByteWord.contains(word, 10) { break }
        index += 8
      }
    }
    while index < head.count {
      let byte = head[index]
      if byte == 13 {
        return index + 1 < head.count && head[index + 1] == 10 ? index : nil
      }
      if byte == 10 { return nil }
      index += 1
    }
    return nil
  }

  /// What the header fields say about framing and connection handling, gathered in one pass.
  struct FramingFacts {
    var hosts = 0
    var lengths: [String] = []
    var encodings: [String] = []
    var connection: [String] = []
    var expect: String?

    mutating func note(name: UnsafeRawBufferPointer, value: String) {
      switch name.count {
      case 4 where matches(name, "host"): hosts += 1
      case 14 where matches(name, "content-length"): lengths.append(value)
      case 17 where matches(name, "transfer-encoding"): encodings.append(value)
      case 10 where matches(name, "connection"): connection.append(value)
      case 6 where matches(name, "expect"): expect = value
      default: break
      }
    }

    private func matches(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
      let expected = lowercase.utf8Start
      for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
      return true
    }
  }

  /// Whether `byte` may appear in a token (RFC 9110 §5.6.2: letters, digits and
  /// ``!#$%&'*+-.^_`|~``), as one bit of two 64-bit masks (a lookup per header-name byte).
  @inline(__always)
  static func isTokenByte(_ byte: UInt8) -> Bool {
    let low: UInt64 = 0x03FF_6CFA_0000_0000
    let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    return byte < 64 ? (low >> byte) & 1 == 1 : byte < 128 && (high >> (byte - 64)) & 1 == 1
  }

  static func parseRequestLine(_ head: UnsafeRawBufferPointer, _ line: Range<Int>)
    -> Result<(HTTPMethod, String, HTTPVersion), HTTPParseError>
  {
    // Exactly two spaces: method SP target SP version.
    guard let firstSpace = line.first(where: { head[$0] == UInt8(ascii: " ") }),
      let secondSpace = (firstSpace + 1..<line.upperBound).first(where: {
        head[$0] == UInt8(ascii: " ")
      }),
      !(secondSpace + 1..<line.upperBound).contains(where: { head[$0] == UInt8(ascii: " ") })
    else { return .failure(.bad("malformed request line")) }
    let methodRange = line.lowerBound..<firstSpace
    let targetRange = firstSpace + 1..<secondSpace
    let version = head[secondSpace + 1..<line.upperBound]
    guard !methodRange.isEmpty, !targetRange.isEmpty else {
      return .failure(.bad("malformed request line"))
    }
    guard methodRange.allSatisfy({ isTokenByte(head[$0]) }) else {
      return .failure(.bad("invalid method"))
    }
    guard targetRange.allSatisfy({ head[$0] > 0x20 && head[$0] != 0x7F }) else {
      return .failure(.bad("invalid request target"))
    }
    let firstTargetByte = head[targetRange.lowerBound]
    guard
      firstTargetByte == UInt8(ascii: "/")
        || (targetRange.count == 1 && firstTargetByte == UInt8(ascii: "*"))
    else {
      return .failure(.bad("request target must be a path"))
    }
    let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
    guard version.count == 8, version.starts(with: "HTTP/".utf8),
      version[version.startIndex + 6] == UInt8(ascii: "."),
      digits.contains(version[version.startIndex + 5]),
      digits.contains(version[version.startIndex + 7])
    else { return .failure(.bad("malformed HTTP version")) }
    let major = Int(version[version.startIndex + 5] - UInt8(ascii: "0"))
    let minor = Int(version[version.startIndex + 7] - UInt8(ascii: "0"))
    guard major == 1, minor <= 1 else {
      return .failure(
        HTTPParseError(
          505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are supported"))
    }
    let target = String(decoding: head[targetRange], as: UTF8.self)
    let method = HTTPMethod(String(decoding: head[methodRange], as: UTF8.self))
    return .success((method, target, HTTPVersion(major: major, minor: minor)))
  }

  static func parseField(_ head: UnsafeRawBufferPointer, _ line: Range<Int>) -> Result<
    (String, String), HTTPParseError
  > {
    guard let first = line.first.map({ head[$0] }) else {
      return .failure(.bad("empty header line"))
    }
    if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
      return .failure(.bad("obsolete line folding is not allowed"))
    }
    guard let colon = line.first(where: { head[$0] == UInt8(ascii: ":") }) else {
      return .failure(.bad("header line without a colon"))
    }
    let nameRange = line.lowerBound..<colon
    guard !nameRange.isEmpty, nameRange.allSatisfy({ isTokenByte(head[$0]) }) else {
      return .failure(.bad("invalid header name"))
    }
    var valueStart = colon + 1
    var valueEnd = line.upperBound
    while valueStart < valueEnd && (head[valueStart] == 0x20 || head[valueStart] == 0x09) {
      valueStart += 1
    }
    while valueEnd > valueStart && (head[valueEnd - 1] == 0x20 || head[valueEnd - 1] == 0x09) {
      valueEnd -= 1
    }
    for offset in valueStart..<valueEnd {
      let byte = head[offset]
      if byte == 0 || (byte < 0x20 && byte != 0x09) || byte == 0x7F {
        return .failure(.bad("invalid character in header value"))
      }
    }
    let name = String(decoding: head[nameRange], as: UTF8.self)
    let value = String(decoding: head[valueStart..<valueEnd], as: UTF8.self)
    return .success((name, value))
  }

  static func interpret(
    method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders,
    facts: FramingFacts
  ) -> Result<HTTPRequestHead, HTTPParseError> {
    if version == .http11 && facts.hosts != 1 {
      return .failure(.bad(facts.hosts == 0 ? "missing Host header" : "more than one Host header"))
    }
    let lengths = facts.lengths
    let encodings = facts.encodings
    var framing = HTTPRequestHead.Framing.none
    if !encodings.isEmpty {
      guard lengths.isEmpty else {
        return .failure(.bad("both Content-Length and Transfer-Encoding"))
      }
      guard version == .http11 else {
        return .failure(.bad("Transfer-Encoding in an HTTP/1.0 request"))
      }
      let codings = encodings.flatMap { $0.split(separator: ",") }
        .map { $0.trimmingASCIIWhitespace().lowercased() }
      guard codings == ["chunked"] else {
        return .failure(
          HTTPParseError(
            501, "unsupported_transfer_encoding", "only Transfer-Encoding: chunked is supported"))
      }
      framing = .chunked
    } else if lengths.count == 1, let length = plainLength(lengths[0]) {
      framing = .length(length)
    } else if !lengths.isEmpty {
      var length: Int?
      for item in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
        let text = item.trimmingASCIIWhitespace()
        guard !text.isEmpty, text.utf8.count <= 15,
          text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
          let value = Int(text)
        else { return .failure(.bad("invalid Content-Length")) }
        if let length, length != value {
          return .failure(.bad("conflicting Content-Length values"))
        }
        length = value
      }
      if let length { framing = .length(length) }
    }

    var keepAlive = version == .http11
    for value in facts.connection {
      for token in value.split(separator: ",").map({ $0.trimmingASCIIWhitespace().lowercased() }) {
        if token == "close" { keepAlive = false }
        if token == "keep-alive" && version == .http10 { keepAlive = true }
      }
    }
    var expectsContinue = false
    if let expect = facts.expect {
      guard expect.lowercased() == "100-continue" else {
        return .failure(HTTPParseError(417, "expectation_failed", "unsupported Expect: \(expect)"))
      }
      expectsContinue = version == .http11
    }
    return .success(
      HTTPRequestHead(
        method: method, target: target, version: version, headers: headers, framing: framing,
        keepAlive: keepAlive, expectsContinue: expectsContinue))
  }

  /// A `Content-Length` of 1 to 15 digits and nothing else (the usual case), without the
  /// list splitting the general path does; nil sends anything else down that path.
  private static func plainLength(_ value: String) -> Int? {
    var value = value
    return value.withUTF8 { bytes -> Int? in
      guard !bytes.isEmpty, bytes.count <= 15 else { return nil }
      var length = 0
      for byte in bytes {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
        length = length * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return length
    }
  }

  /// Trailer fields are parsed for shape and ignored.
  static func validTrailers(_ section: UnsafeRawBufferPointer) -> Bool {
    var lineStart = 0
    var index = 0
    while index < section.count {
      if section[index] == 13 {
        guard index + 1 < section.count, section[index + 1] == 10 else { return false }
        if case .failure = parseField(section, lineStart..<index) { return false }
        index += 2
        lineStart = index
      } else if section[index] == 10 {
        return false
      } else {
        index += 1
      }
    }
    return true
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingASCIIWhitespace() -> String {
    var start = startIndex
    var end = endIndex
    while start < end && (self[start] == " " || self[start] == "\t") { start = index(after: start) }
    while end > start && (self[index(before: end)] == " " || self[index(before: end)] == "\t") {
      end = index(before: end)
    }
    return String(self[start..<end])
  }
}
