import JunctionDigest
import JunctionSystem

/// Secrets Junction makes itself — webhook subscriptions' signing secrets, blob link
/// signatures — derived from one key kept in the data directory (`keys/subscriptions.key`,
/// created on first start, mode 0600), so that no secret is ever written to the journal or
/// shown in the event feed. A subscription's secret is `whsec_` + base64 of
/// HMAC-SHA256(key, "subscription:" + id).
struct GatewayKeys: Sendable {
  private let key: HMAC<SHA256>.Key

  init(key: [UInt8]) { self.key = HMAC<SHA256>.Key(key) }

  /// Loads the key from `dataDirectory`, creating it when missing.
  static func load(dataDirectory: String) throws -> GatewayKeys {
    let directory = dataDirectory + "/keys"
    try PosixFileSystem().createDirectory(directory)
    let path = directory + "/subscriptions.key"
    if let bytes = try DurableFile.read(path),
      let key = Hex.decode(
        String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()), key.count == 32
    {
      return GatewayKeys(key: key)
    }
    let key = SecureRandom.bytes(32)
    try DurableFile.write(Array((Hex.encode(key) + "\n").utf8), to: path)
    return GatewayKeys(key: key)
  }

  /// The Standard Webhooks secret of subscription `id`.
  func secret(for id: String) -> String {
    var mac = HMAC<SHA256>(key: key)
    mac.update(Array("subscription:\(id)".utf8))
    return "whsec_" + Base64.encode(mac.finalize())
  }

  /// A key for `purpose` (`"blob-links"`), independent of every other derived secret.
  func derivedKey(_ purpose: String) -> [UInt8] {
    var mac = HMAC<SHA256>(key: key)
    mac.update(Array("purpose:\(purpose)".utf8))
    return mac.finalize()
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
