import JunctionChannels
import JunctionModel

extension TwilioAdapter {
  /// Fetches MMS media: `GET MediaUrl` with basic auth (account SID and auth token; Twilio
  /// requires it when "HTTP basic auth for media" is on). Twilio answers with a redirect to a
  /// short-lived storage URL, which is followed without credentials. Credentials are only
  /// ever sent to Twilio's API host (`api_base`) or `*.twilio.com`.
  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    guard var url = attachment.url else {
      return .failed(ProviderError(code: "no_url", message: "the attachment has no URL"))
    }
    for _ in 0..<4 {
      let request = ProviderRequest(
        method: "GET", url: url, timeout: 60,
        basicAuth: sendsCredentials(to: url) ? (accountSid, authToken) : nil)
      let result = await transport.perform(request)
      if case .success(let response) = result, [301, 302, 303, 307, 308].contains(response.status),
        let location = response.header("Location")
      {
        url = Self.resolve(location, against: url)
        continue
      }
      return DownloadResult.classify(result, maxBytes: maxBytes)
    }
    return .failed(ProviderError(code: "too_many_redirects", message: "more than 3 redirects"))
  }

  /// Whether `url` is on Twilio's API host (or another twilio.com host).
  func sendsCredentials(to url: String) -> Bool {
    guard let host = Self.host(of: url) else { return false }
    return host == Self.host(of: apiBase) || host == "twilio.com" || host.hasSuffix(".twilio.com")
  }

  /// The lowercased host of an absolute URL.
  static func host(of url: String) -> String? {
    guard let start = url.range(of: "://")?.upperBound else { return nil }
    let rest = url[start...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let hostAndPort = authority.split(separator: "@").last ?? authority
    if hostAndPort.hasPrefix("[") {
      return hostAndPort.split(separator: "]").first.map { $0.lowercased() + "]" }
    }
    return hostAndPort.split(separator: ":").first.map { $0.lowercased() }
  }

  /// A `Location` made absolute.
  static func resolve(_ location: String, against url: String) -> String {
    if location.contains("://") { return location }
    guard let start = url.range(of: "://")?.upperBound else { return location }
    let originEnd = url[start...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
    let origin = url[..<originEnd]
    return location.hasPrefix("/") ? origin + location : origin + "/" + location
  }
}
