import Foundation
import JunctionChannels
import JunctionConfig
import JunctionGateway
import JunctionModel
import JunctionSystem
import JunctionTesting

/// An in-process gateway on a free loopback port with a temporary data directory.
final class GatewayHarness: @unchecked Sendable {
  static let readToken = "read-only-token-0123456789"
  static let writeToken = "read-write-token-0123456789"
  let signer: WebhookSigner
  let data: String
  var gateway: Gateway
  let configuration: LoadedConfiguration

  init(channels: [ChannelInstanceConfig] = []) throws {
    let secret = WebhookSigner.randomSecret()
    signer = try WebhookSigner(secret: secret)
    var config = GatewayConfig()
    config.listenPort = 0
    config.tokens = [
      APIToken(name: "reader", token: Self.readToken, scopes: [.read]),
      APIToken(name: "helpdesk", token: Self.writeToken, scopes: [.read, .write]),
    ]
    var channelsConfig = ChannelsConfig()
    channelsConfig.channels =
      [
        ChannelInstanceConfig(
          id: "web", adapter: "api", settings: ChannelSettings(["secret": .string(secret)]))
      ]
      + channels
    configuration = LoadedConfiguration(gateway: config, channels: channelsConfig, warnings: [])
    data = NSTemporaryDirectory() + "junction-gateway-" + UUID().uuidString
    gateway = try Gateway(
      configuration: configuration, dataDirectory: data, logger: Logger(minimum: .error))
    try gateway.start()
  }

  func restart() throws {
    gateway.shutdown()
    gateway = try Gateway(
      configuration: configuration, dataDirectory: data, logger: Logger(minimum: .error))
    try gateway.start()
  }

  func client() -> TestHTTPClient { TestHTTPClient(port: gateway.port) }

  func post(_ client: TestHTTPClient, _ body: JSON, channel: String = "web") throws -> TestResponse
  {
    let bytes = body.serialized()
    return try client.request(
      "POST", "/v1/inbound/\(channel)", headers: signer.headers(for: bytes), body: bytes)
  }

  func get(_ client: TestHTTPClient, _ path: String, token: String = writeToken) throws
    -> TestResponse
  {
    try client.request("GET", path, headers: [("Authorization", "Bearer \(token)")])
  }

  func events(_ client: TestHTTPClient, types: String? = nil) throws -> [JSON] {
    let query = types.map { "&types=\($0)" } ?? ""
    return try get(client, "/v1/events?after=0&limit=1000\(query)").json["events"]?.arrayValue ?? []
  }

  func stop() {
    gateway.shutdown()
    try? FileManager.default.removeItem(atPath: data)
  }
}
