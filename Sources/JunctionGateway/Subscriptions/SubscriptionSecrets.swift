import JunctionDigest
import JunctionSystem

/// Signing secrets of webhook subscriptions, derived from one key kept in the data directory
/// (`keys/subscriptions.key`, created on first start, mode 0600), so that no secret is ever
/// written to the journal or shown in the event feed. A subscription's secret is
/// `whsec_` + base64 of HMAC-SHA256(key, subscription id).
struct SubscriptionSecrets: Sendable {
  private let key: HMAC<SHA256>.Key

  init(key: [UInt8]) { self.key = HMAC<SHA256>.Key(key) }

  /// Loads the key from `dataDirectory`, creating it when missing.
  static func load(dataDirectory: String) throws -> SubscriptionSecrets {
    let directory = dataDirectory + "/keys"
    try PosixFileSystem().createDirectory(directory)
    let path = directory + "/subscriptions.key"
    if let bytes = try DurableFile.read(path),
      let key = Hex.decode(
        String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()), key.count == 32
    {
      return SubscriptionSecrets(key: key)
    }
    let key = SecureRandom.bytes(32)
    try DurableFile.write(Array((Hex.encode(key) + "\n").utf8), to: path)
    return SubscriptionSecrets(key: key)
  }

  /// The Standard Webhooks secret of subscription `id`.
  func secret(for id: String) -> String {
    var mac = HMAC<SHA256>(key: key)
    mac.update(Array("subscription:\(id)".utf8))
    return "whsec_" + Base64.encode(mac.finalize())
  }

  /// A signer for subscription `id`.
  func signer(for id: String) -> StandardWebhook? {
    try? StandardWebhook(secret: secret(for: id))
  }
}

extension String {
  fileprivate func trimmingASCIIWhitespace() -> String {
    String(
      self.drop { $0 == " " || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
  }
}
