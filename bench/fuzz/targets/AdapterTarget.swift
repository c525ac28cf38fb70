// fuzz-modules: JunctionAdapters
// Every channel adapter's inbound handling (`receive`, then `acknowledge`) with a request
// synthesised around arbitrary bytes. Input: [mode byte][adapter name]\0[body...].
//
// Mode bits: 0x01 GET (the body becomes the query string, for handshakes); 0x02 leave the
// request unsigned (verification must refuse it); 0x04 for JSON bodies, put the channel's
// secret into the body (VK carries its secret inside the JSON).
//
// Requests are signed the way each provider signs, so the fuzzer reaches payload parsing and
// not only the signature check. Checks: no trap; unsigned POSTs never reach `.ingest`;
// rejections are 4xx; the acknowledgement renders for any outcome.
import JunctionAdapters
import JunctionChannels
import JunctionConfig
import JunctionDigest
import JunctionHTTP
import JunctionModel

let now = Timestamp(unixSeconds: 1_749_420_000)
let apiSecret = "whsec_" + Base64.encode(Array("junction-fuzz-secret-0123456789".utf8))
let metaSecret = "9f86d081884c7d659a2feaa0c55ad015"
let telegramSecret = "Jx7_k2-Qm9Vt4pLs0aZr"
let vkSecret = "Kx9mQ2vLp7RtW4zY"

/// Settings per shipped adapter; a new adapter without an entry is fuzzed unsigned (and
/// reported at start so it gets one).
let settingsByAdapter: [String: String] = [
  "api": #"{"secret": "\#(apiSecret)"}"#,
  "telegram":
    #"{"bot_token": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "secret_token": "\#(telegramSecret)"}"#,
  "whatsapp":
    #"{"phone_number_id": "106540352242922", "access_token": "EAAJB9Zt0ken", "app_secret": "\#(metaSecret)", "verify_token": "meatyhamhock"}"#,
  "messenger":
    #"{"page_access_token": "EAAPageT0ken", "app_secret": "\#(metaSecret)", "verify_token": "meatyhamhock"}"#,
  "vk":
    #"{"group_id": 219875432, "access_token": "vk1.a.token", "secret": "\#(vkSecret)", "confirmation": "693d0ba9"}"#,
]

/// One adapter instance per registered adapter, made from channels.json text like the gateway.
let adapters: [(name: String, adapter: any ChannelAdapter, signed: Bool)] = {
  var made: [(String, any ChannelAdapter, Bool)] = []
  for type in AdapterRegistry.all {
    let name = type.manifest.name
    let settings = settingsByAdapter[name] ?? "{}"
    let text = #"{"channels": [{"id": "c", "adapter": "\#(name)", "settings": \#(settings)}]}"#
    let context = ConfigContext(file: "channels.json")
    guard let json = try? JSON.parse(Array(text.utf8)) else { fatalError("bad settings JSON") }
    let config = ChannelsConfig(
      json: json, context: context,
      specs: { AdapterRegistry.adapter(named: $0)?.manifest.settings },
      adapterNames: AdapterRegistry.all.map { $0.manifest.name })
    guard context.issues.isEmpty, let instance = config.channels.first,
      let adapter = try? type.init(
        instance: instance, context: AdapterContext(publicURL: "https://support.example.com"))
    else {
      print(
        "fuzz: adapter \(name) has no fuzz settings (add it to AdapterTarget.swift): \(context.issues)"
      )
      continue
    }
    made.append((name, adapter, settingsByAdapter[name] != nil))
  }
  return made
}()

let standardWebhook: StandardWebhook? = try? StandardWebhook(secret: apiSecret)

/// The headers `name`'s provider would sign `body` with.
func signatureHeaders(_ name: String, body: [UInt8]) -> [(String, String)] {
  switch name {
  case "api":
    let id = "msg_fuzz"
    let signature = standardWebhook?.signature(id: id, timestamp: now.unixSeconds, body: body) ?? ""
    return [
      ("webhook-id", id), ("webhook-timestamp", String(now.unixSeconds)),
      ("webhook-signature", signature),
    ]
  case "whatsapp", "messenger":
    var mac = HMAC<SHA256>(key: Array(metaSecret.utf8))
    mac.update(body)
    return [("X-Hub-Signature-256", "sha256=" + Hex.encode(mac.finalize()))]
  case "telegram":
    return [("X-Telegram-Bot-Api-Secret-Token", telegramSecret)]
  default:
    return []
  }
}

/// `body` with the channel's secret set in its top-level object, when it is one.
func withSecret(_ body: [UInt8]) -> [UInt8] {
  guard case .object(var object)? = try? JSON.parse(body) else { return body }
  object["secret"] = .string(vkSecret)
  return JSON.object(object).serialized()
}

/// An outcome of the right kind for each item (what the gateway hands back after journaling).
func outcomes(for items: [InboundItem]) -> [IngestOutcome] {
  items.enumerated().map { index, item in
    switch item {
    case .message:
      return .message(
        messageId: "msg_\(index)", conversationId: "conv_1", duplicate: index % 2 == 1)
    case .status:
      return .status(messageId: index % 2 == 0 ? "msg_\(index)" : nil, applied: index % 2 == 0)
    case .edit: return .edit(messageId: "msg_\(index)", duplicate: false)
    case .part: return .part(messageId: nil, duplicate: false)
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  guard !adapters.isEmpty else { fatalError("no adapter could be made") }
  var input = FuzzInput(data, count)
  let mode = input.byte()
  var rest = input.rest
  let nameEnd = rest.firstIndex(of: 0) ?? 0
  let name = String(decoding: rest[..<nameEnd], as: UTF8.self)
  rest = Array(rest[(nameEnd == 0 ? 0 : nameEnd + 1)...])
  let chosen =
    adapters.first { $0.name == name }
    ?? adapters[Int(name.utf8.reduce(0) { $0 &+ UInt($1) } % UInt(adapters.count))]

  let isGet = mode & 0x01 != 0
  let unsigned = mode & 0x02 != 0 || !chosen.signed
  var body = rest
  if mode & 0x04 != 0 { body = withSecret(body) }
  var request: HTTPRequest
  if isGet {
    let query = String(decoding: body, as: UTF8.self)
    request = HTTPRequest(method: .get, target: "/v1/inbound/c?" + query)
  } else {
    var headers = [("Content-Type", "application/json")]
    if !unsigned { headers += signatureHeaders(chosen.name, body: body) }
    request = HTTPRequest(
      method: .post, target: "/v1/inbound/c", headers: HTTPHeaders(headers), body: body)
  }
  request.pathParameters = ["channel": "c"]
  request.remoteAddress = "127.0.0.1:40000"

  switch chosen.adapter.receive(request, now: now) {
  case .respond(let response):
    invariant((200..<500).contains(response.status), "respond with \(response.status)")
  case .reject(let response):
    invariant((400..<500).contains(response.status), "reject with \(response.status)")
  case .ingest(let items):
    // Telegram's and VK's secrets travel in a header or the body, not a signature over it.
    if unsigned && !isGet && chosen.signed
      && ["api", "whatsapp", "messenger"].contains(chosen.name)
    {
      fatalError("\(chosen.name) ingested an unsigned request")
    }
    let answer = chosen.adapter.acknowledge(outcomes(for: items))
    invariant((200..<300).contains(answer.status), "acknowledgement \(answer.status)")
  }
  return 0
}
