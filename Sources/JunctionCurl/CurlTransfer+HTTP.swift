import CCurl

extension CurlTransfer {
  /// Sets the options of one HTTP exchange; problems show up in `checkSetup()`.
  func configureHTTP(_ request: CurlRequest, userAgent: String) {
    displayURL = CurlURL.redacted(request.url)
    headerMode = .http
    set(CURLOPT_URL, request.url)
    set(CURLOPT_PROTOCOLS_STR, "http,https")
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
    set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(min(request.connectTimeout, request.timeout)))
    set(CURLOPT_TCP_KEEPALIVE, 1)
    set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
    if request.followRedirects { set(CURLOPT_MAXREDIRS, max(0, request.maxRedirects)) }
    set(CURLOPT_USERAGENT, userAgent)
    apply(request.tls)
    if request.maxResponseBytes >= 0 {
      maxBodyBytes = request.maxResponseBytes
      set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(request.maxResponseBytes))
    }
    if let auth = request.basicAuth {
      set(CURLOPT_HTTPAUTH, jc_auth_basic)
      set(CURLOPT_USERNAME, auth.user)
      set(CURLOPT_PASSWORD, auth.password)
    }
    configureMethod(request)
    set(CURLOPT_HTTPHEADER, list: headerLines(request))
  }

  private func configureMethod(_ request: CurlRequest) {
    let method = request.method.uppercased()
    guard !method.isEmpty, method.utf8.allSatisfy(Self.isTokenByte) else {
      failSetup("invalid HTTP method \"\(request.method)\"")
      return
    }
    if method == "HEAD" {
      set(CURLOPT_NOBODY, 1)
    } else if method == "GET" && request.body.isEmpty {
      set(CURLOPT_HTTPGET, 1)
    } else if !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
      upload = request.body
      set(CURLOPT_POST, 1)
      set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
      if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method) }
    } else {
      set(CURLOPT_CUSTOMREQUEST, method)
    }
  }

  private func headerLines(_ request: CurlRequest) -> [String] {
    var lines: [String] = []
    var named = Set<String>()
    for (name, value) in request.headers {
      guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
        failSetup("invalid header name \"\(name)\"")
        return []
      }
      named.insert(name.lowercased())
      let trimmed = value.trimmingSpaces()
      lines.append(trimmed.isEmpty ? "\(name);" : "\(name): \(trimmed)")
    }
    // libcurl would add `Expect: 100-continue` to large bodies (a round trip lost) and a form
    // content type to POSTs that name none; neither is what the caller asked for.
    if !named.contains("expect") { lines.append("Expect:") }
    if !named.contains("content-type") { lines.append("Content-Type:") }
    return lines
  }

  /// A token character of RFC 9110 (method and field names).
  static func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
  }

  /// Seconds as whole milliseconds for libcurl, at least 1 (0 would mean "no timeout").
  static func milliseconds(_ seconds: Double) -> Int {
    guard seconds.isFinite, seconds > 0 else { return 1 }
    return max(1, Int(min(seconds, 86_400 * 365) * 1000))
  }

  /// The response of a finished HTTP exchange.
  func httpResponse() -> CurlResponse {
    CurlResponse(
      status: responseCode(), headers: headers, body: body, effectiveURL: effectiveURL())
  }
}
