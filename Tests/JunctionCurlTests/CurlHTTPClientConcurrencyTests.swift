import Foundation
import JunctionCurl
import Synchronization
import Testing

@Suite struct CurlHTTPClientConcurrencyTests {
  private func connections(_ client: CurlHTTPClient, _ server: HTTPTestServer) async throws -> Int {
    let response = try await client.perform(CurlRequest(url: server.base + "/connections")).get()
    return Int(response.text) ?? -1
  }

  @Test func hundredConcurrentRequestsAllCompleteOverFewConnections() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient(
      configuration: CurlHTTPClient.Configuration(maxHostConnections: 4))
    let statuses = await withTaskGroup(of: (Int, Int?).self) { group in
      for index in 0..<100 {
        group.addTask {
          let request = CurlRequest(
            method: "POST", url: server.base + "/echo?n=\(index)", body: Array("\(index)".utf8))
          let response = try? await client.perform(request).get()
          let path = response.flatMap {
            try? JSONDecoder().decode(EchoedPath.self, from: Data($0.body)).path
          }
          return (index, path == "/echo?n=\(index)" ? response?.status : nil)
        }
      }
      var collected: [Int: Int?] = [:]
      for await (index, status) in group { collected[index] = status }
      return collected
    }
    #expect(statuses.count == 100)
    #expect(statuses.values.allSatisfy { $0 == 200 })
    let seen = try await connections(client, server)
    #expect(seen >= 1 && seen <= 4)
    await client.shutdown()
  }

  @Test func sequentialRequestsReuseOneConnection() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient()
    for index in 0..<20 {
      let response = try await client.perform(
        CurlRequest(method: "POST", url: server.base + "/echo", body: Array("\(index)".utf8))
      ).get()
      #expect(response.status == 200)
    }
    #expect(try await connections(client, server) == 1)
    await client.shutdown()
  }

  @Test func shutdownCancelsTransfersInFlightAndRefusesNewOnes() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient()
    let results = Collector<Result<CurlResponse, CurlError>>()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<5 {
        group.addTask {
          let result = await client.perform(
            CurlRequest(url: server.base + "/slow?ms=20000", timeout: 60))
          results.append(result)
        }
      }
      group.addTask {
        // Shut down once the server has accepted the slow requests' connections.
        while (try? await connections(client, server)) ?? 0 < 5 {
          try? await Task.sleep(for: .milliseconds(20))
        }
        await client.shutdown(gracePeriod: 0)
      }
    }
    let finished = results.items
    #expect(finished.count == 5)
    for result in finished {
      guard case .failure(let error) = result else {
        Issue.record("a transfer survived shutdown: \(result)")
        continue
      }
      #expect(error.kind == .cancelled)
    }
    let late = await client.perform(CurlRequest(url: server.base + "/echo"))
    guard case .failure(let error) = late else {
      Issue.record("a shut-down client performed a request")
      return
    }
    #expect(error.kind == .shutdown)
  }

  @Test func shutdownWithGracePeriodLetsTransfersFinish() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient()
    // Slow enough to be in flight when the poll below opens the second connection, even on a
    // loaded machine (had it finished first, the poll would reuse its connection and never
    // see two: the deadline turns that into a failure instead of a hang).
    async let result = client.perform(CurlRequest(url: server.base + "/slow?ms=1500"))
    let deadline = ContinuousClock.now + .seconds(10)
    while try await connections(client, server) < 2 {
      guard ContinuousClock.now < deadline else {
        Issue.record("the slow transfer's connection never showed up beside the poll's")
        break
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    await client.shutdown(gracePeriod: 30)
    let response = try await result.get()
    #expect(response.status == 200)
    #expect(response.text == "slow")
  }

  @Test func cancellingTheTaskAbortsTheTransfer() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient()
    let task = Task { await client.perform(CurlRequest(url: server.base + "/slow?ms=20000")) }
    while try await connections(client, server) < 2 {
      try await Task.sleep(for: .milliseconds(10))
    }
    task.cancel()
    let result = await task.value
    guard case .failure(let error) = result else {
      Issue.record("the cancelled transfer completed: \(result)")
      return
    }
    #expect(error.kind == .cancelled)
    await client.shutdown()
  }

  @Test func completionHandlerVariantDeliversTheResponse() async throws {
    let server = try await HTTPTestServer.start()
    defer { server.stop() }
    let client = try CurlHTTPClient()
    let response = await withCheckedContinuation { continuation in
      client.perform(CurlRequest(url: server.base + "/status?code=201")) {
        continuation.resume(returning: $0)
      }
    }
    #expect(try response.get().status == 201)
    await client.shutdown()
  }
}

/// Values gathered from concurrent tasks.
final class Collector<Value: Sendable>: Sendable {
  private let storage = Mutex<[Value]>([])

  func append(_ value: Value) { storage.withLock { $0.append(value) } }

  var items: [Value] { storage.withLock { $0 } }
}

private struct EchoedPath: Decodable {
  var path: String
}
