/// Why a Standard Webhooks signature check failed.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The secret is not `whsec_` followed by base64 of at least 24 bytes.
  case invalidSecret(String)
  /// A required header (`webhook-id`, `webhook-timestamp`, `webhook-signature`) is absent.
  case missingHeader(String)
  /// `webhook-timestamp` is not an integer.
  case invalidTimestamp
  /// The timestamp is further than the tolerance from now (`skew` seconds, positive = future).
  case timestampOutOfTolerance(skew: Int64)
  /// No `v1` signature in the header matches.
  case noMatchingSignature

  public var description: String {
    switch self {
    case .invalidSecret(let reason): return "invalid webhook secret: \(reason)"
    case .missingHeader(let name): return "missing \(name) header"
    case .invalidTimestamp: return "webhook-timestamp is not a Unix time in seconds"
    case .timestampOutOfTolerance(let skew):
      return
        "webhook-timestamp is \(abs(skew)) s in the \(skew > 0 ? "future" : "past"), outside the tolerance"
    case .noMatchingSignature: return "no webhook-signature matches the body"
    }
  }
}

/// Standard Webhooks v1 (symmetric, HMAC-SHA256): signs outgoing and verifies incoming
/// webhooks. The key is the base64-decoded part of the `whsec_` secret; the signed content is
/// `{webhook-id}.{webhook-timestamp}.{body}`.
public struct StandardWebhook: Sendable {
  private let key: HMAC<SHA256>.Key

  public init(secret: String) throws(DigestError) {
    guard secret.hasPrefix("whsec_") else {
      throw .invalidSecret("must start with whsec_")
    }
    guard let bytes = Base64.decode(secret.dropFirst(6)) else {
      throw .invalidSecret("the part after whsec_ is not base64")
    }
    guard bytes.count >= 16 else {
      throw .invalidSecret("too short (\(bytes.count) bytes; at least 24 recommended)")
    }
    key = HMAC<SHA256>.Key(bytes)
  }

  /// A new random secret: `whsec_` + base64 of 32 bytes.
  public static func generateSecret() -> String {
    "whsec_" + Base64.encode(SecureRandom.bytes(32))
  }

  /// The raw MAC of one message.
  private func mac<Body: Collection>(id: String, timestamp: String, body: Body) -> [UInt8]
  where Body.Element == UInt8 {
    var hmac = HMAC<SHA256>(key: key)
    hmac.update(Array(id.utf8))
    hmac.update(CollectionOfOne(UInt8(ascii: ".")))
    hmac.update(Array(timestamp.utf8))
    hmac.update(CollectionOfOne(UInt8(ascii: ".")))
    hmac.update(body)
    return hmac.finalize()
  }

  /// The `webhook-signature` header value: `v1,<base64>`.
  public func signature<Body: Collection>(id: String, timestamp: Int64, body: Body) -> String
  where Body.Element == UInt8 {
    "v1," + Base64.encode(mac(id: id, timestamp: String(timestamp), body: body))
  }

  /// Verifies the three header values against `body` (the raw bytes received). Any of the
  /// space-separated `v1,…` entries may match; other versions are ignored.
  public func verify<Body: Collection>(
    id: String?, timestamp: String?, signature: String?, body: Body, now: Int64,
    tolerance: Int64 = 300
  ) throws(DigestError) where Body.Element == UInt8 {
    guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
    guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
    guard let signature, !signature.isEmpty else { throw .missingHeader("webhook-signature") }
    guard let seconds = Int64(timestamp) else { throw .invalidTimestamp }
    let skew = seconds - now
    guard abs(skew) <= tolerance else { throw .timestampOutOfTolerance(skew: skew) }
    let expected = mac(id: id, timestamp: timestamp, body: body)
    var matched = false
    // Space-separated "v1,<base64>" entries, split as bytes (String.split walks grapheme
    // clusters: it cost more than the HMAC itself).
    for entry in signature.utf8.split(separator: UInt8(ascii: " ")) {
      guard entry.starts(with: "v1,".utf8),
        let candidate = Base64.decode(Substring(entry.dropFirst(3)))
      else { continue }
      if constantTimeEquals(candidate, expected) { matched = true }
    }
    guard matched else { throw .noMatchingSignature }
  }
}
