import Dispatch
import JunctionChannels
import JunctionCurl
import JunctionSystem

/// The product's HTTP transport to providers and webhook receivers: libcurl through
/// ``CurlHTTPClient`` (one multi handle, kept-alive connections, many exchanges at once).
struct CurlTransport: ChannelTransport {
  let client: CurlHTTPClient

  init(metrics: MetricsRegistry) throws {
    client = try CurlHTTPClient(
      configuration: CurlHTTPClient.Configuration(
        maxHostConnections: 64, userAgent: "Junction/\(JunctionCommand.version)"),
      metrics: metrics)
  }

  func perform(_ request: ProviderRequest) async -> Result<ProviderResponse, TransportError> {
    let curlRequest = CurlRequest(
      method: request.method, url: request.url, headers: request.headers, body: request.body,
      timeout: request.timeout,
      basicAuth: request.basicAuth.map { CurlCredentials(user: $0.user, password: $0.password) })
    return await client.perform(curlRequest)
      .map { response in
        ProviderResponse(
          status: response.status, headers: response.headers.merged(), body: response.body)
      }
      .mapError { error in TransportError(message: error.description, isTimeout: error.isTimeout) }
  }

  /// Lets exchanges in flight finish for up to `gracePeriod` seconds, then stops the client.
  func shutdown(gracePeriod: Double) {
    let done = DispatchSemaphore(value: 0)
    let client = client
    DispatchTaskExecutor.shared.run {
      await client.shutdown(gracePeriod: gracePeriod)
      done.signal()
    }
    done.wait()
  }
}
