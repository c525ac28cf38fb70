import JunctionModel

/// One channel instance from `channels.json`: `{"id": "...", "adapter": "api", "settings": {...}}`.
public struct ChannelInstanceConfig: Sendable, Equatable {
  /// Unique id, used in URLs (`/v1/inbound/{id}`) and events.
  public var id: String
  /// The adapter's name (a folder under `adapters/`).
  public var adapter: String
  /// A human name for dashboards.
  public var name: String?
  public var settings: ChannelSettings

  public init(id: String, adapter: String, name: String? = nil, settings: ChannelSettings) {
    self.id = id
    self.adapter = adapter
    self.name = name
    self.settings = settings
  }
}

/// `channels.json`: `{"channels": [...]}`.
public struct ChannelsConfig: Sendable, Equatable {
  public var channels: [ChannelInstanceConfig]

  public init(channels: [ChannelInstanceConfig] = []) { self.channels = channels }

  /// Reads the file; `specs` gives an adapter's setting specs, or nil for an unknown adapter.
  public init(
    json: JSON, context: ConfigContext, specs: (String) -> [SettingSpec]?,
    adapterNames: [String]
  ) {
    let root = ConfigObject(json, path: "", context: context)
    var seen: Set<String> = []
    var channels: [ChannelInstanceConfig] = []
    for entry in root.objects("channels", required: true) ?? [] {
      let id = entry.nonEmptyString("id", required: true)
      let adapter = entry.nonEmptyString("adapter", required: true)
      let name = entry.string("name")
      if let id {
        if !Self.isValidId(id) {
          context.issue(
            entry.path("id"),
            "must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit")
        }
        if !seen.insert(id).inserted {
          context.issue(entry.path("id"), "duplicate channel id \"\(id)\"")
        }
      }
      var settings = ChannelSettings()
      if let adapter {
        if let adapterSpecs = specs(adapter) {
          let settingsObject =
            entry.object("settings")
            ?? ConfigObject(.object(JSONObject()), path: entry.path("settings"), context: context)
          settings = SettingSpec.validate(settingsObject, against: adapterSpecs)
        } else {
          _ = entry.raw("settings")
          context.issue(
            entry.path("adapter"),
            "unknown adapter \"\(adapter)\" (known: \(adapterNames.joined(separator: ", ")))")
        }
      }
      entry.finish()
      if let id, let adapter {
        channels.append(
          ChannelInstanceConfig(id: id, adapter: adapter, name: name, settings: settings))
      }
    }
    root.finish()
    self.channels = channels
  }

  /// Channel ids appear in URLs, so they are restricted to URL-safe characters.
  public static func isValidId(_ id: String) -> Bool {
    guard (1...64).contains(id.utf8.count), let first = id.utf8.first,
      isLowerAlphanumeric(first)
    else { return false }
    return id.utf8.allSatisfy {
      isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
    }
  }

  private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }
}
