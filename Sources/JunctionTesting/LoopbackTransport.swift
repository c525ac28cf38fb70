import Foundation
import JunctionChannels
import JunctionDigest

/// A ``ChannelTransport`` for tests: each call opens a connection with ``TestHTTPClient`` on
/// a thread of its own and sends the request as real bytes over loopback.
public struct LoopbackTransport: ChannelTransport {
  public init() {}

  public func perform(_ request: ProviderRequest) async -> Result<ProviderResponse, TransportError>
  {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(returning: Self.blockingPerform(request))
      }
    }
  }

  static func blockingPerform(_ request: ProviderRequest) -> Result<
    ProviderResponse, TransportError
  > {
    guard let url = URL(string: request.url), let port = url.port else {
      return .failure(TransportError(message: "unsupported URL \(request.url)"))
    }
    let client = TestHTTPClient(port: port, timeout: request.timeout)
    var headers = request.headers
    if let auth = request.basicAuth {
      headers.append(
        ("Authorization", "Basic " + Base64.encode(Array("\(auth.user):\(auth.password)".utf8))))
    }
    let path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?\($0)" } ?? "")
    do {
      let response = try client.request(
        request.method, path, headers: headers, body: request.body)
      client.close()
      var map: [String: String] = [:]
      for (name, value) in response.headers { map[name] = value }
      return .success(ProviderResponse(status: response.status, headers: map, body: response.body))
    } catch {
      let text = "\(error)"
      return .failure(TransportError(message: text, isTimeout: text.contains("timed out")))
    }
  }
}
