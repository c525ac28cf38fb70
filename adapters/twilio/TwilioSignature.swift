import JunctionDigest

/// Twilio's webhook signature, `X-Twilio-Signature` (as in Twilio's own SDKs'
/// `RequestValidator`): base64 of HMAC-SHA1 keyed with the auth token over the full URL
/// Twilio requested followed by every POST parameter, sorted by name (then value), each
/// name immediately followed by its value.
///
/// The URL must be the one configured at Twilio, not the one Junction sees behind a proxy.
/// As Twilio's SDKs do, a signature made over the URL with or without the scheme's default
/// port (`:443`, `:80`) is accepted.
public struct TwilioSignature: Sendable {
  private let key: HMAC<SHA1>.Key

  /// A validator keyed with the account's auth token.
  public init(authToken: String) {
    key = HMAC<SHA1>.Key(Array(authToken.utf8))
  }

  /// The signature of a request to `url` with form `parameters` (empty for GET).
  public func signature(url: String, parameters: [(name: String, value: String)]) -> String {
    var mac = HMAC<SHA1>(key: key)
    mac.update(Array(url.utf8))
    var byName: [String: Set<String>] = [:]
    for (name, value) in parameters { byName[name, default: []].insert(value) }
    for name in byName.keys.sorted(by: Self.byteOrder) {
      for value in (byName[name] ?? []).sorted(by: Self.byteOrder) {
        mac.update(Array(name.utf8))
        mac.update(Array(value.utf8))
      }
    }
    return Base64.encode(mac.finalize())
  }

  /// Whether `signature` is valid for one of `urls` (each also tried with and without its
  /// default port) and `parameters`. Compared in constant time.
  public func isValid(
    _ signature: String, urls: [String], parameters: [(name: String, value: String)]
  ) -> Bool {
    var valid = false
    for url in urls {
      for variant in Self.portVariants(url) {
        let expected = self.signature(url: variant, parameters: parameters)
        if constantTimeEquals(Array(expected.utf8), Array(signature.utf8)) { valid = true }
      }
    }
    return valid
  }

  /// `url` as given, plus the same URL with its default port added or removed.
  static func portVariants(_ url: String) -> [String] {
    guard let schemeEnd = url.range(of: "://") else { return [url] }
    let scheme = url[..<schemeEnd.lowerBound].lowercased()
    let defaultPort: String
    switch scheme {
    case "https": defaultPort = "443"
    case "http": defaultPort = "80"
    default: return [url]
    }
    let rest = url[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    let tail = rest[authorityEnd...]
    let head = url[..<schemeEnd.upperBound]
    // An IPv6 literal's colons are inside brackets; a port follows the last `]` or the host.
    let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
    if let colon = authority[hostEnd...].lastIndex(of: ":") {
      guard authority[authority.index(after: colon)...] == defaultPort else { return [url] }
      return [url, String(head + authority[..<colon] + tail)]
    }
    return [url, String(head + authority + ":" + defaultPort + tail)]
  }

  /// Byte-wise (code point) order, as Twilio's SDKs sort.
  static func byteOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
  }
}
