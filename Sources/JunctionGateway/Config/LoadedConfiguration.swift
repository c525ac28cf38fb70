import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionModel
import JunctionRouting

/// Everything read from a config directory, checked, with adapters resolved.
public struct LoadedConfiguration: Sendable {
  public var gateway: GatewayConfig
  public var channels: ChannelsConfig
  /// `routing.json`, `faq.json`, their examples and routing test cases, trained.
  public var routing: RoutingConfiguration
  /// Problems that do not stop Junction but deserve a look (secrets at shipped defaults).
  public var warnings: [ConfigIssue]

  public init(
    gateway: GatewayConfig, channels: ChannelsConfig, routing: RoutingConfiguration = .empty(),
    warnings: [ConfigIssue] = []
  ) {
    self.gateway = gateway
    self.channels = channels
    self.routing = routing
    self.warnings = warnings
  }

  /// Reads and checks `gateway.json` and `channels.json` in `directory`; throws every problem
  /// found, each naming its file and JSON path.
  public static func load(_ directory: ConfigDirectory) throws(ConfigError) -> LoadedConfiguration {
    var issues: [ConfigIssue] = []
    var warnings: [ConfigIssue] = []

    let gatewayContext = ConfigContext(file: "gateway.json")
    var gateway = GatewayConfig()
    if let json = directory.json("gateway.json", context: gatewayContext) {
      gateway = GatewayConfig(json: json, context: gatewayContext)
    }
    issues += gatewayContext.issues
    warnings += gatewayContext.warnings

    let channelsContext = ConfigContext(file: "channels.json")
    var channels = ChannelsConfig()
    if let json = directory.json("channels.json", context: channelsContext) {
      channels = ChannelsConfig(
        json: json, context: channelsContext,
        specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
        adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    }
    // Adapters may reject settings the specs cannot express.
    let context = AdapterContext(publicURL: gateway.effectivePublicURL)
    for (index, channel) in channels.channels.enumerated() {
      guard let type = AdapterRegistry.adapter(named: channel.adapter) else { continue }
      do {
        _ = try type.init(instance: channel, context: context)
      } catch {
        channelsContext.issue("channels[\(index)]", error.description)
      }
    }
    issues += channelsContext.issues
    warnings += channelsContext.warnings

    var routing = RoutingConfiguration.empty()
    do {
      let (loaded, routingWarnings) = try RoutingConfiguration.load(directory)
      routing = loaded
      warnings += routingWarnings
    } catch {
      issues += error.issues
    }
    guard issues.isEmpty else { throw ConfigError(issues) }
    return LoadedConfiguration(
      gateway: gateway, channels: channels, routing: routing, warnings: warnings)
  }
}
