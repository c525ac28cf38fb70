import Foundation
import JunctionModel
import JunctionTesting

/// A gateway config for end-to-end tests: one `api` channel `web`, a helpdesk token.
struct TestDeployment {
  static let helpdeskToken = "test-helpdesk-token-0123456789"
  let signer: WebhookSigner
  let process: JunctionProcess

  init(
    extraChannels: [JSON] = [], gateway: JSONObject = [:], extraFiles: [String: JSON] = [:],
    outboundURL: String? = nil
  ) throws {
    let secret = WebhookSigner.randomSecret()
    signer = try WebhookSigner(secret: secret)
    var gatewayJSON: JSONObject = [
      "tokens": [
        ["name": "helpdesk", "token": .string(Self.helpdeskToken), "scopes": ["read", "write"]]
      ]
    ]
    for (key, value) in gateway { gatewayJSON[key] = value }
    var web: JSONObject = ["secret": .string(secret), "rate_per_second": 1000]
    if let outboundURL { web["outbound_url"] = .string(outboundURL) }
    let channels: JSON = [
      "channels": .array(
        [["id": "web", "adapter": "api", "settings": .object(web)]] + extraChannels)
    ]
    var files: [String: JSON] = ["gateway.json": .object(gatewayJSON), "channels.json": channels]
    for (name, json) in extraFiles { files[name] = json }
    process = try JunctionProcess(files: files)
  }

  var auth: [(String, String)] { [("Authorization", "Bearer \(Self.helpdeskToken)")] }

  /// Posts one signed `api` message.
  func post(_ client: TestHTTPClient, id: String, from user: String, text: String) throws
    -> TestResponse
  {
    let body: JSON = ["id": .string(id), "from": ["id": .string(user)], "text": .string(text)]
    let bytes = body.serialized()
    return try client.request(
      "POST", "/v1/inbound/web", headers: signer.headers(for: bytes), body: bytes)
  }

  /// Every event in the feed.
  func allEvents(_ client: TestHTTPClient) throws -> [JSON] {
    var events: [JSON] = []
    var after: Int64 = 0
    while true {
      let page = try client.request("GET", "/v1/events?after=\(after)&limit=1000", headers: auth)
        .json
      let batch = page["events"]?.arrayValue ?? []
      if batch.isEmpty { return events }
      events += batch
      after = page["next"]?.intValue ?? after
    }
  }
}
