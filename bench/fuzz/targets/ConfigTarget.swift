// fuzz-modules: JunctionAdapters JunctionRouting
// The config checker behind `junction check-config` and the admin API: one file's bytes
// through the same parsing, `${ENV}` interpolation and strict checking. Input: [file byte]
// [file contents...]; file byte % 5: gateway.json, channels.json (with every adapter's
// settings spec), routing.json (both halves: understanding and queueing), faq.json, and the
// examples CSV.
//
// Checks: no trap; every issue names its file; a file reported clean is usable.
import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionModel
import JunctionRouting

let environment = ["HELPDESK_TOKEN": "fuzz-helpdesk-token-0123456789", "PORT": "8080"]
let files = ["gateway.json", "channels.json", "routing.json", "faq.json", "examples.csv"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  var input = FuzzInput(data, count)
  let file = files[Int(input.byte()) % files.count]
  let bytes = input.rest
  let context = ConfigContext(file: file)
  if file == "examples.csv" {
    _ = try? LabelledCSV.parse(bytes)
    return 0
  }
  guard let json = ConfigDirectory.parse(bytes, context: context, environment: environment) else {
    invariant(!context.issues.isEmpty, "unparsable \(file) without an issue")
    return 0
  }
  switch file {
  case "gateway.json":
    let gateway = GatewayConfig(json: json, context: context)
    if context.issues.isEmpty {
      _ = gateway.effectivePublicURL
      invariant(
        gateway.listenPort >= 0 && gateway.listenPort <= 65535, "port \(gateway.listenPort)")
    }
  case "channels.json":
    let channels = ChannelsConfig(
      json: json, context: context,
      specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
      adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    let adapterContext = AdapterContext(publicURL: "https://support.example.com")
    for channel in channels.channels {
      guard let type = AdapterRegistry.adapter(named: channel.adapter) else { continue }
      _ = try? type.init(instance: channel, context: adapterContext)
    }
  case "routing.json":
    var understanding = UnderstandingConfig()
    understanding.readRouting(json, context: context, directory: nil)
    let root = ConfigObject(json, path: "", context: context)
    _ = QueueingConfig.parse(
      root, skills: Set(understanding.skillIds), tiers: understanding.tiers.map(\.id),
      channelKinds: Set(ChannelKind.allCases.map(\.rawValue)))
  default:
    var understanding = UnderstandingConfig()
    understanding.readFAQ(json, context: context)
  }
  for issue in context.issues + context.warnings {
    invariant(issue.file == file, "issue names \(issue.file), not \(file)")
  }
  return 0
}
