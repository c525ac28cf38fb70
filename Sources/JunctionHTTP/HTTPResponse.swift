/// An HTTP response a handler gives back.
public struct HTTPResponse: Sendable, Equatable {
  public var status: Int
  public var headers: HTTPHeaders
  public var body: [UInt8]

  public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// A JSON response.
  public static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
  }

  /// A JSON response from text.
  public static func json(_ status: Int, _ body: String) -> HTTPResponse {
    json(status, Array(body.utf8))
  }

  /// A plain-text response.
  public static func text(_ status: Int, _ body: String) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
      body: Array(body.utf8))
  }

  /// `{"error":{"code":"…","message":"…"}}` — the body of every error Junction returns.
  public static func error(_ status: Int, code: String, message: String) -> HTTPResponse {
    var body = Array(#"{"error":{"code":"#.utf8)
    appendJSONString(code, to: &body)
    body += Array(#","message":"#.utf8)
    appendJSONString(message, to: &body)
    body += Array("}}".utf8)
    return json(status, body)
  }

  /// The status's reason phrase.
  public static func reason(_ status: Int) -> String {
    switch status {
    case 100: return "Continue"
    case 200: return "OK"
    case 201: return "Created"
    case 202: return "Accepted"
    case 204: return "No Content"
    case 301: return "Moved Permanently"
    case 304: return "Not Modified"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 409: return "Conflict"
    case 410: return "Gone"
    case 411: return "Length Required"
    case 413: return "Content Too Large"
    case 415: return "Unsupported Media Type"
    case 417: return "Expectation Failed"
    case 422: return "Unprocessable Content"
    case 429: return "Too Many Requests"
    case 431: return "Request Header Fields Too Large"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    case 505: return "HTTP Version Not Supported"
    default: return "Status \(status)"
    }
  }
}

/// JSON string escaping for error bodies (JunctionHTTP stays independent of the JSON module).
func appendJSONString(_ text: String, to out: inout [UInt8]) {
  out.append(UInt8(ascii: "\""))
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
    case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
    case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
    case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
    case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
    case 0..<0x20:
      let hex = Array("0123456789abcdef".utf8)
      out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
    default: out.append(byte)
    }
  }
  out.append(UInt8(ascii: "\""))
}

extension HTTPResponse {
  /// Serialises status line, headers and body into `out` in one buffer. Adds
  /// `Content-Length` (unless `chunked`), `Date` and `Connection: close` when `close`; drops
  /// the body for `HEAD`.
  func serialize(
    into out: inout [UInt8], date: [UInt8], close: Bool, headRequest: Bool, chunked: Bool = false
  ) {
    // Appended piece by piece into `out`: temporary arrays and interpolated strings were
    // most of a small response's cost (a number's digits are a small string: no allocation).
    out.reserveCapacity(out.count + 160 + body.count)
    out.append(contentsOf: "HTTP/1.1 ".utf8)
    out.append(contentsOf: String(status).utf8)
    out.append(UInt8(ascii: " "))
    out.append(contentsOf: Self.reason(status).utf8)
    out.append(contentsOf: "\r\n".utf8)
    for (name, value) in headers where !HTTPHeaders.equalsIgnoringCase(name, "Content-Length") {
      out.append(contentsOf: name.utf8)
      out.append(contentsOf: ": ".utf8)
      out.append(contentsOf: value.utf8)
      out.append(contentsOf: "\r\n".utf8)
    }
    if chunked {
      out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
    } else if status >= 200 && status != 204 && status != 304 {
      out.append(contentsOf: "Content-Length: ".utf8)
      out.append(contentsOf: String(body.count).utf8)
      out.append(contentsOf: "\r\n".utf8)
    }
    out.append(contentsOf: date)
    if close { out.append(contentsOf: "Connection: close\r\n".utf8) }
    out.append(contentsOf: "\r\n".utf8)
    if !headRequest && !chunked { out.append(contentsOf: body) }
  }
}
