import JunctionConfig
import JunctionModel
import Testing

@Suite struct EnvironmentInterpolationTests {
  func interpolate(_ json: JSON, _ environment: [String: String]) -> (JSON, ConfigContext) {
    let context = ConfigContext(file: "gateway.json")
    return (
      EnvironmentInterpolation.apply(json, environment: environment, context: context), context
    )
  }

  @Test func replacesVariablesAndDefaults() {
    let (json, context) = interpolate(
      ["a": "x-${A}-y", "b": ["${MISSING:-fallback}"], "c": "$${A} costs $5"], ["A": "1"])
    #expect(json["a"] == "x-1-y")
    #expect(json["b"]?[0] == "fallback")
    #expect(json["c"] == "${A} costs $5")
    #expect(context.issues.isEmpty)
    #expect(context.fallbacks == ["b[0]": "MISSING"])
  }

  @Test func missingVariableWithoutDefaultNamesThePath() {
    let (_, context) = interpolate(["tokens": [["token": "${HELPDESK_TOKEN}"]]], [:])
    #expect(
      context.issues.map(\.description) == [
        "gateway.json: tokens[0].token: environment variable HELPDESK_TOKEN is not set and has no default"
      ])
  }

  @Test func emptyDefaultIsAllowed() {
    let (json, context) = interpolate(["a": "${X:-}"], [:])
    #expect(json["a"] == "")
    #expect(context.issues.isEmpty)
  }
}

@Suite struct GatewayConfigTests {
  func load(_ text: String, _ environment: [String: String] = [:]) -> (GatewayConfig, ConfigContext)
  {
    let context = ConfigContext(file: "gateway.json")
    let json =
      ConfigDirectory.parse(Array(text.utf8), context: context, environment: environment)
      ?? .object(JSONObject())
    return (GatewayConfig(json: json, context: context), context)
  }

  @Test func readsEverySection() {
    let (config, context) = load(
      """
      {"listen": "0.0.0.0:9090", "data_dir": "/var/lib/junction",
       "tokens": [{"name": "helpdesk", "token": "${T:-dev-helpdesk-token-123}", "scopes": ["read", "write"]}],
       "limits": {"max_body_bytes": "2MiB", "head_timeout": "5s", "idle_timeout": 90,
                  "pin_workers": false, "huge_pages": false, "route_body_bytes": {"POST /v1/inbound/{channel}": "4MiB"}},
       "journal": {"fsync": "none", "segment_bytes": "1MiB", "preallocate": false}}
      """)
    #expect(context.issues.isEmpty)
    #expect(config.listenHost == "0.0.0.0" && config.listenPort == 9090)
    #expect(config.dataDirectory == "/var/lib/junction")
    #expect(
      config.tokens == [
        APIToken(name: "helpdesk", token: "dev-helpdesk-token-123", scopes: [.read, .write])
      ])
    #expect(config.limits.maxBodyBytes == 2 << 20)
    #expect(config.limits.routeBodyBytes["POST /v1/inbound/{channel}"] == 4 << 20)
    #expect(config.limits.headTimeout == 5 && config.limits.idleTimeout == 90)
    #expect(!config.limits.pinWorkers && GatewayConfig().limits.pinWorkers)
    #expect(!config.limits.hugePages && GatewayConfig().limits.hugePages)
    #expect(config.journal.fsync == "none" && config.journal.segmentBytes == 1 << 20)
    #expect(!config.journal.preallocate && GatewayConfig().journal.preallocate)
    #expect(
      context.warnings.map(\.description) == [
        "gateway.json: tokens[0].token: secret uses its shipped default; set T in the environment for production"
      ])
  }

  @Test func reportsEveryProblemWithItsPath() {
    let (_, context) = load(
      """
      {"listen": "nowhere", "tokenz": [], "tokens": [{"name": "a", "token": "short", "scopes": ["reed"]},
        {"name": "a", "token": 5, "scopes": []}], "limits": {"max_body_bytes": "lots", "pin_workers": "yes", "huge_pages": 1},
       "journal": {"fsync": "sometimes"}}
      """)
    #expect(
      context.issues.map(\.description) == [
        "gateway.json: listen: expected HOST:PORT, found \"nowhere\"",
        "gateway.json: tokens[0].scopes[0]: unknown scope \"reed\" (expected read, write or admin)",
        "gateway.json: tokens[0].token: must be at least 16 characters",
        "gateway.json: tokens[1].token: expected a string, found number",
        "gateway.json: tokens[1].name: duplicate token name \"a\"",
        "gateway.json: limits.max_body_bytes: expected a size such as \"16KiB\", \"1MiB\" or a number of bytes",
        "gateway.json: limits.pin_workers: expected a boolean, found string",
        "gateway.json: limits.huge_pages: expected a boolean, found number",
        "gateway.json: journal.fsync: unknown value \"sometimes\" (expected one of \"group\", \"none\")",
        "gateway.json: tokenz: unknown key",
      ])
  }

  /// Found by bench/fuzz (config): a size that overflows trapped the checker, and durations
  /// too large for a timer were accepted and trapped the server at its first timeout.
  @Test func sizesAndDurationsTooLargeToUseAreProblemsNotCrashes() {
    let nines = String(repeating: "9", count: 400)
    let (_, context) = load(
      """
      {"limits": {"max_body_bytes": "99999999999999999GiB", "head_timeout": 1e300,
                  "body_timeout": "100000d", "idle_timeout": "\(nines)s"}}
      """)
    #expect(
      context.issues.map(\.path) == [
        "limits.max_body_bytes", "limits.head_timeout", "limits.body_timeout",
        "limits.idle_timeout",
      ])
  }

  @Test func syntaxErrorsGiveLineAndColumn() {
    let (_, context) = load("{\n  \"listen\": \"a:1\",\n  oops\n}")
    #expect(
      context.issues.map(\.description) == [
        "gateway.json: invalid JSON at line 3, column 3: expected a string key"
      ])
  }

  @Test func defaultsWhenEmpty() {
    let (config, context) = load("{}")
    #expect(context.issues.isEmpty)
    #expect(config == GatewayConfig())
    #expect(config.effectivePublicURL == "http://127.0.0.1:8080")
  }
}

@Suite struct ChannelsConfigTests {
  let specs: [String: [SettingSpec]] = [
    "api": [
      SettingSpec("secret", .secret, required: true, summary: "signing secret"),
      SettingSpec("outbound_url", .url(schemes: ["http", "https"]), summary: "where replies go"),
      SettingSpec("rate_per_second", .number, default: 10, summary: "send rate"),
      SettingSpec("timeout", .duration, default: 15, summary: "send timeout"),
    ]
  ]

  func load(_ text: String) -> (ChannelsConfig, ConfigContext) {
    let context = ConfigContext(file: "channels.json")
    let json = ConfigDirectory.parse(Array(text.utf8), context: context, environment: [:]) ?? .null
    let config = ChannelsConfig(
      json: json, context: context, specs: { specs[$0] }, adapterNames: ["api"])
    return (config, context)
  }

  @Test func validatesSettingsAndFillsDefaults() {
    let (config, context) = load(
      #"{"channels": [{"id": "web", "adapter": "api", "settings": {"secret": "whsec_x", "timeout": "2m"}}]}"#
    )
    #expect(context.issues.isEmpty)
    #expect(config.channels.first?.settings.double("rate_per_second") == 10)
    #expect(config.channels.first?.settings.double("timeout") == 120)
    #expect(config.channels.first?.settings.string("outbound_url") == nil)
  }

  @Test func rejectsDuplicatesUnknownAdaptersKeysAndBadIds() {
    let (_, context) = load(
      """
      {"channels": [
        {"id": "web", "adapter": "api", "settings": {"secret": "s", "outbound_url": "ftp://x", "colour": 1}},
        {"id": "web", "adapter": "fax", "settings": {}},
        {"id": "Bad Id", "adapter": "api", "settings": {}}]}
      """)
    #expect(
      context.issues.map(\.description) == [
        "channels.json: channels[0].settings.outbound_url: expected a URL starting with http:// or https://",
        "channels.json: channels[0].settings.colour: unknown key",
        "channels.json: channels[1].id: duplicate channel id \"web\"",
        "channels.json: channels[1].adapter: unknown adapter \"fax\" (known: api)",
        "channels.json: channels[2].id: must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
        "channels.json: channels[2].settings.secret: is required",
      ])
  }
}

@Suite struct ConfigUnitsTests {
  @Test func durations() {
    #expect(ConfigUnits.seconds("500ms") == 0.5)
    #expect(ConfigUnits.seconds("1h30m") == 5400)
    #expect(ConfigUnits.seconds("2d") == 172_800)
    #expect(ConfigUnits.seconds("10") == nil)
    #expect(ConfigUnits.seconds("5 minutes") == nil)
    #expect(ConfigUnits.seconds(String(repeating: "9", count: 400) + "s") == nil)
  }

  @Test func sizes() {
    #expect(ConfigUnits.bytes("16KiB") == 16_384)
    #expect(ConfigUnits.bytes("1MB") == 1_000_000)
    #expect(ConfigUnits.bytes("12") == nil)
    #expect(ConfigUnits.bytes("-1KiB") == nil)
    #expect(ConfigUnits.bytes("9223372036854775807KiB") == nil)
  }
}
