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
  static let adminToken = "admin-token-0123456789abc"
  let signer: WebhookSigner
  let data: String
  var gateway: Gateway
  let configuration: LoadedConfiguration

  let secret: String

  let configDirectory: ConfigDirectory?

  init(
    channels: [ChannelInstanceConfig] = [], outboundURL: String? = nil,
    routing: RoutingConfiguration = .empty(), configDirectory: ConfigDirectory? = nil,
    configure: (inout GatewayConfig) -> Void = { _ in }
  ) throws {
    self.configDirectory = configDirectory
    let secret = WebhookSigner.randomSecret()
    self.secret = secret
    signer = try WebhookSigner(secret: secret)
    var config = GatewayConfig()
    config.listenPort = 0
    config.tokens = [
      APIToken(name: "reader", token: Self.readToken, scopes: [.read]),
      APIToken(name: "helpdesk", token: Self.writeToken, scopes: [.read, .write]),
      APIToken(name: "admin", token: Self.adminToken, scopes: [.admin, .read, .write]),
    ]
    var channelsConfig = ChannelsConfig()
    configure(&config)
    var web: JSONObject = ["secret": .string(secret), "rate_per_second": 1000]
    if let outboundURL { web["outbound_url"] = .string(outboundURL) }
    channelsConfig.channels =
      [ChannelInstanceConfig(id: "web", adapter: "api", settings: ChannelSettings(web))]
      + channels
    configuration = LoadedConfiguration(
      gateway: config, channels: channelsConfig, routing: routing, warnings: [])
    data = NSTemporaryDirectory() + "junction-gateway-" + UUID().uuidString
    gateway = try Self.makeGateway(configuration, data: data, configDirectory: configDirectory)
    try gateway.start()
  }

  static func makeGateway(
    _ configuration: LoadedConfiguration, data: String, configDirectory: ConfigDirectory? = nil
  ) throws -> Gateway {
    try Gateway(
      configuration: configuration, dataDirectory: data, logger: Logger(minimum: .error),
      configDirectory: configDirectory)
  }

  /// The shipped `config/` routing (the shop), trained.
  static let shippedRouting: RoutingConfiguration = {
    let directory = ConfigDirectory(path: shippedConfigPath, environment: [:])
    return (try? RoutingConfiguration.load(directory).configuration) ?? .empty()
  }()

  static let shippedConfigPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config").path

  func restart() throws {
    gateway.shutdown()
    gateway = try Self.makeGateway(configuration, data: data, configDirectory: configDirectory)
    try gateway.start()
  }

  func client() -> TestHTTPClient { TestHTTPClient(port: gateway.port) }

  /// Posts a signed webhook; for a new message, waits until the router has routed its
  /// conversation (routing runs after the provider's answer), so tests see a settled feed.
  func post(_ client: TestHTTPClient, _ body: JSON, channel: String = "web") throws -> TestResponse
  {
    let bytes = body.serialized()
    let response = try client.request(
      "POST", "/v1/inbound/\(channel)", headers: signer.headers(for: bytes), body: bytes)
    if response.status == 200, response.json["duplicate"] == false,
      let conversation = response.json["conversation_id"]?.stringValue
    {
      try waitRouted(client, conversation)
    }
    return response
  }

  /// Waits until conversation `id` has a skill (the router has decided).
  func waitRouted(_ client: TestHTTPClient, _ id: String, timeout: Double = 10) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if try get(client, "/v1/conversations/\(id)").json["skill"]?.stringValue != nil { return }
      Thread.sleep(forTimeInterval: 0.005)
    }
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

  func postAPI(
    _ client: TestHTTPClient, _ method: String, _ path: String, _ body: JSON? = nil,
    token: String = writeToken, headers: [(String, String)] = []
  ) throws -> TestResponse {
    try client.request(
      method, path,
      headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        + headers, body: body?.serialized() ?? [])
  }

  /// Posts a customer message on the `web` channel and returns its conversation id.
  @discardableResult
  func customerMessage(_ client: TestHTTPClient, id: String, from user: String, _ text: String)
    throws -> String
  {
    let response = try post(
      client, ["id": .string(id), "from": ["id": .string(user)], "text": .string(text)])
    return response.json["conversation_id"]?.stringValue ?? ""
  }

  /// Waits until events of `type` number at least `count`; returns all events.
  @discardableResult
  func waitForEvents(
    _ client: TestHTTPClient, type: String, count: Int = 1, timeout: Double = 10
  ) throws -> [JSON] {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let all = try events(client)
      if all.filter({ $0["type"]?.stringValue == type }).count >= count || Date() > deadline {
        return all
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
  }

  func stop() {
    gateway.shutdown()
    try? FileManager.default.removeItem(atPath: data)
  }
}
