import Foundation
import JunctionDigest
import JunctionModel

/// Signs bodies for the `api` channel the way a customer's app would (Standard Webhooks).
public struct WebhookSigner: Sendable {
  public let secret: String
  private let webhook: StandardWebhook

  public init(secret: String) throws {
    self.secret = secret
    webhook = try StandardWebhook(secret: secret)
  }

  /// A fresh development-style secret.
  public static func randomSecret() -> String { StandardWebhook.generateSecret() }

  /// The three Standard Webhooks headers for `body`.
  public func headers(
    for body: [UInt8], id: String = Identifier.make("wh"), at timestamp: Int64? = nil
  )
    -> [(String, String)]
  {
    let timestamp = timestamp ?? Int64(Date().timeIntervalSince1970)
    return [
      ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
      ("webhook-signature", webhook.signature(id: id, timestamp: timestamp, body: body)),
      ("Content-Type", "application/json"),
    ]
  }

  /// Verifies a delivery the way a receiver would.
  public func verify(headers: [(String, String)], body: [UInt8], now: Int64? = nil) throws {
    func value(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    try webhook.verify(
      id: value("webhook-id"), timestamp: value("webhook-timestamp"),
      signature: value("webhook-signature"),
      body: body, now: now ?? Int64(Date().timeIntervalSince1970))
  }
}
