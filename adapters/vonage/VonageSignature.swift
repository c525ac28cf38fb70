import JunctionDigest

/// Vonage's signed-webhook `sig` parameter (SMS API), as the official Python and Ruby SDKs
/// compute it: every received parameter except `sig`, sorted by name, each appended as
/// `&name=value` with `&` and `=` in values replaced by `_`; then the lowercase hex of
/// `md5(string + secret)` (`md5hash`, the dashboard's default) or of an HMAC keyed with the
/// secret (`md5`, `sha1`, `sha256`, `sha512`).
public struct VonageSignature: Sendable {
  /// The signature method chosen in the Vonage dashboard.
  public enum Method: String, Sendable, CaseIterable {
    case md5hash, md5, sha1, sha256, sha512
  }

  /// The signature secret from the dashboard.
  public let secret: String
  /// The signature method from the dashboard.
  public let method: Method

  /// A signer for `secret` and `method`.
  public init(secret: String, method: Method) {
    self.secret = secret
    self.method = method
  }

  /// The signature of `parameters` (any `sig` among them is ignored).
  public func signature(_ parameters: [(name: String, value: String)]) -> String {
    var byName: [String: String] = [:]
    for (name, value) in parameters where name != "sig" && byName[name] == nil {
      byName[name] = value
    }
    var text = ""
    for name in byName.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let value = (byName[name] ?? "").replacingOccurrences(of: "&", with: "_")
        .replacingOccurrences(of: "=", with: "_")
      text += "&\(name)=\(value)"
    }
    let message = Array(text.utf8)
    let key = Array(secret.utf8)
    let digest: [UInt8]
    switch method {
    case .md5hash: digest = MD5.hash(message + key)
    case .md5: digest = HMAC<MD5>.authenticationCode(key: key, message: message)
    case .sha1: digest = HMAC<SHA1>.authenticationCode(key: key, message: message)
    case .sha256: digest = HMAC<SHA256>.authenticationCode(key: key, message: message)
    case .sha512: digest = HMAC<SHA512>.authenticationCode(key: key, message: message)
    }
    return Hex.encode(digest)
  }

  /// Whether `parameters` carry a valid `sig` (compared case-insensitively, in constant time).
  public func isValid(_ parameters: [(name: String, value: String)]) -> Bool {
    guard let sig = parameters.first(where: { $0.name == "sig" })?.value else { return false }
    return constantTimeEquals(Array(sig.lowercased().utf8), Array(signature(parameters).utf8))
  }
}
