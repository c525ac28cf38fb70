import Foundation
import JunctionCurl
import JunctionSystem
import Testing

/// Runs `body` with a fresh client and loopback HTTP server, then shuts both down.
private func withClientAndServer(
  _ configuration: CurlHTTPClient.Configuration = CurlHTTPClient.Configuration(),
  _ body: (CurlHTTPClient, HTTPTestServer) async throws -> Void
) async throws {
  let server = try await HTTPTestServer.start()
  defer { server.stop() }
  let client = try CurlHTTPClient(configuration: configuration)
  do {
    try await body(client, server)
  } catch {
    await client.shutdown()
    throw error
  }
  await client.shutdown()
}

private struct Echo: Decodable {
  var method: String
  var path: String
  var headers: [[String]]
  var body: String

  func header(_ name: String) -> String? {
    headers.first { $0.first?.lowercased() == name.lowercased() }?.last
  }
}

private func echo(_ response: CurlResponse) throws -> Echo {
  try JSONDecoder().decode(Echo.self, from: Data(response.body))
}

@Suite struct CurlHTTPClientTests {
  @Test func methodHeadersAndBodyRoundTrip() async throws {
    try await withClientAndServer { client, server in
      let body = Array("{\"text\":\"Привет\"}".utf8) + [0, 255]
      for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let request = CurlRequest(
          method: method, url: server.base + "/echo?x=1",
          headers: [("Content-Type", "application/json"), ("X-Trace", "abc"), ("X-Trace", "def")],
          body: body)
        let response = try await client.perform(request).get()
        #expect(response.status == 200)
        let seen = try echo(response)
        #expect(seen.method == method)
        #expect(seen.path == "/echo?x=1")
        #expect(Data(base64Encoded: seen.body).map(Array.init) == body)
        #expect(seen.header("content-type") == "application/json")
        #expect(seen.headers.filter { $0.first == "X-Trace" }.map { $0.last } == ["abc", "def"])
        #expect(seen.header("Expect") == nil)
      }
      let get = try await client.perform(CurlRequest(url: server.base + "/echo")).get()
      let seen = try echo(get)
      #expect(seen.method == "GET")
      #expect(seen.body.isEmpty)
      #expect(get.headers["content-type"] == "application/json")
      #expect(get.headers.values("X-MULTI") == ["a", "b"])
      #expect(get.headers.merged()["X-Multi"] == "a, b")
    }
  }

  @Test func basicAuthIsSentAsAuthorizationHeader() async throws {
    try await withClientAndServer { client, server in
      let request = CurlRequest(
        url: server.base + "/echo", basicAuth: CurlCredentials(user: "AC123", password: "s3:cret"))
      let seen = try echo(try await client.perform(request).get())
      let expected = "Basic " + Data("AC123:s3:cret".utf8).base64EncodedString()
      #expect(seen.header("Authorization") == expected)
    }
  }

  @Test func errorStatusesAreResponsesWithTheirHeaders() async throws {
    try await withClientAndServer { client, server in
      let limited = try await client.perform(
        CurlRequest(url: server.base + "/status?code=429&retry_after=7")
      ).get()
      #expect(limited.status == 429)
      #expect(limited.headers["retry-after"] == "7")
      let failed = try await client.perform(CurlRequest(url: server.base + "/status?code=500"))
        .get()
      #expect(failed.status == 500)
      #expect(failed.text == "status body")
    }
  }

  @Test func redirectsAreNotFollowedUnlessAsked() async throws {
    try await withClientAndServer { client, server in
      let plain = try await client.perform(CurlRequest(url: server.base + "/redirect")).get()
      #expect(plain.status == 302)
      #expect(plain.headers["Location"] == "/echo")
      let followed = try await client.perform(
        CurlRequest(url: server.base + "/redirect", followRedirects: true)
      ).get()
      #expect(followed.status == 200)
      #expect(followed.effectiveURL.hasSuffix("/echo"))
      #expect(followed.headers["Location"] == nil)
    }
  }

  @Test func slowAnswerIsATimeout() async throws {
    try await withClientAndServer { client, server in
      let result = await client.perform(
        CurlRequest(url: server.base + "/slow?ms=3000", timeout: 0.3))
      guard case .failure(let error) = result else {
        Issue.record("expected a timeout, got \(result)")
        return
      }
      #expect(error.isTimeout)
      #expect(!error.isConnectionFailure)
      #expect(error.code == 28)
    }
  }

  @Test func refusedConnectionIsAConnectionFailure() async throws {
    let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false)
    let port = try listener.localPort()
    listener.close()
    let client = try CurlHTTPClient()
    let result = await client.perform(CurlRequest(url: "http://127.0.0.1:\(port)/"))
    await client.shutdown()
    guard case .failure(let error) = result else {
      Issue.record("expected a connection failure, got \(result)")
      return
    }
    #expect(error.isConnectionFailure)
    #expect(error.kind == .connectionFailed)
    #expect(!error.isTimeout)
  }

  @Test func connectionClosedMidResponseIsAConnectionFailure() async throws {
    try await withClientAndServer { client, server in
      let result = await client.perform(CurlRequest(url: server.base + "/close"))
      guard case .failure(let error) = result else {
        Issue.record("expected a failure, got \(result)")
        return
      }
      #expect(error.kind == .connectionLost)
      #expect(error.isConnectionFailure)
    }
  }

  @Test(arguments: [false, true])
  func responseLargerThanTheLimitFails(chunked: Bool) async throws {
    try await withClientAndServer { client, server in
      let url = server.base + "/big?bytes=300000" + (chunked ? "&chunked=1" : "")
      let small = await client.perform(CurlRequest(url: url, maxResponseBytes: 100_000))
      guard case .failure(let error) = small else {
        Issue.record("expected the limit to fail the transfer, got \(small)")
        return
      }
      #expect(error.kind == .responseTooLarge)
      let download = await client.download(url, maxBytes: 300_000)
      let downloaded = try download.get()
      #expect(downloaded.body.count == 300_000)
      let tooBig = await client.download(url, maxBytes: 299_999)
      #expect(throws: CurlError.self) { try tooBig.get() }
    }
  }

  @Test func invalidRequestsFailWithoutNetwork() async throws {
    let client = try CurlHTTPClient()
    let badHeader = await client.perform(
      CurlRequest(url: "http://127.0.0.1:1/", headers: [("Bad\r\nName", "x")]))
    #expect(throws: CurlError.self) { try badHeader.get() }
    let badValue = await client.perform(
      CurlRequest(url: "http://127.0.0.1:1/", headers: [("X-Inject", "a\r\nX-Evil: 1")]))
    #expect(throws: CurlError.self) { try badValue.get() }
    let badScheme = await client.perform(CurlRequest(url: "file:///etc/passwd"))
    #expect((try? badScheme.get()) == nil)
    await client.shutdown()
  }
}
