import CCurl
import JunctionSystem

/// An HTTP client over one libcurl multi handle on a dedicated thread: many exchanges at once,
/// kept-alive connections reused across them, callers never blocked.
///
/// Safe to share between tasks and threads. Call `shutdown` before dropping the last
/// reference; until then the loop thread keeps the client alive.
public final class CurlHTTPClient: Sendable {
  /// Connection limits and identity.
  public struct Configuration: Sendable {
    /// The most connections to one host at once (`CURLMOPT_MAX_HOST_CONNECTIONS`; 0: no cap).
    /// Transfers beyond it wait for a free connection.
    public var maxHostConnections: Int
    /// The most connections in total (0: no cap).
    public var maxTotalConnections: Int
    /// Idle connections kept open for reuse.
    public var maxCachedConnections: Int
    /// The `User-Agent` sent unless a request names its own.
    public var userAgent: String

    /// Defaults: 16 connections per host, no total cap, 64 cached.
    public init(
      maxHostConnections: Int = 16, maxTotalConnections: Int = 0,
      maxCachedConnections: Int = 64, userAgent: String = "Junction"
    ) {
      self.maxHostConnections = maxHostConnections
      self.maxTotalConnections = maxTotalConnections
      self.maxCachedConnections = maxCachedConnections
      self.userAgent = userAgent
    }
  }

  let loop: CurlMultiLoop
  private let configuration: Configuration
  private let metrics: CurlMetrics?

  /// Starts the client's loop thread. With `metrics`, counts exchanges by outcome
  /// (`junction_curl_transfers_total`) and those in flight (`junction_curl_in_flight`).
  public init(configuration: Configuration = Configuration(), metrics: MetricsRegistry? = nil)
    throws(CurlError)
  {
    self.configuration = configuration
    self.metrics = metrics.map { CurlMetrics(registry: $0, client: "http") }
    loop = try CurlMultiLoop(
      name: "junction-curl-http", maxHostConnections: configuration.maxHostConnections,
      maxTotalConnections: configuration.maxTotalConnections,
      maxCachedConnections: configuration.maxCachedConnections)
  }

  /// Performs one exchange and calls `completion` once with the answer or why there is none.
  /// `completion` runs on the client's loop thread and must return quickly.
  public func perform(
    _ request: CurlRequest,
    completion: @escaping @Sendable (Result<CurlResponse, CurlError>) -> Void
  ) {
    _ = start(request, completion: completion)
  }

  /// Performs one exchange. Cancelling the calling task aborts it with `.cancelled`.
  public func perform(_ request: CurlRequest) async -> Result<CurlResponse, CurlError> {
    let box = TransferBox()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let transfer = start(request) { continuation.resume(returning: $0) }
        box.set(transfer)
      }
    } onCancel: {
      box.cancel(on: loop)
    }
  }

  /// Fetches `url` into memory, failing with `.responseTooLarge` beyond `maxBytes` and with
  /// `.protocolError` when the server answers other than 2xx (attachments from providers).
  public func download(
    _ url: String, maxBytes: Int, headers: [(String, String)] = [],
    basicAuth: CurlCredentials? = nil, timeout: Double = 60
  ) async -> Result<CurlResponse, CurlError> {
    let request = CurlRequest(
      url: url, headers: headers, timeout: timeout, basicAuth: basicAuth,
      maxResponseBytes: maxBytes, followRedirects: true)
    return await perform(request).flatMap { response in
      guard (200..<300).contains(response.status) else {
        return .failure(
          CurlError(
            kind: .protocolError, code: 0, message: "download answered HTTP \(response.status)",
            url: CurlURL.redacted(url)))
      }
      return .success(response)
    }
  }

  /// Refuses new exchanges, gives those in flight up to `gracePeriod` seconds to finish,
  /// aborts the rest (they complete with `.cancelled`) and stops the loop thread.
  public func shutdown(gracePeriod: Double = 0) async {
    await withCheckedContinuation { continuation in
      loop.shutdown(gracePeriod: gracePeriod) { continuation.resume() }
    }
  }

  private func start(
    _ request: CurlRequest,
    completion: @escaping @Sendable (Result<CurlResponse, CurlError>) -> Void
  ) -> CurlTransfer? {
    let transfer: CurlTransfer
    do {
      transfer = try CurlTransfer()
    } catch {
      completion(.failure(error))
      return nil
    }
    transfer.configureHTTP(request, userAgent: configuration.userAgent)
    if let error = transfer.checkSetup() {
      completion(.failure(error))
      return nil
    }
    let metrics = self.metrics
    metrics?.started()
    transfer.onDone = { transfer, code in
      let result: Result<CurlResponse, CurlError> =
        code == CURLE_OK ? .success(transfer.httpResponse()) : .failure(transfer.error(for: code))
      metrics?.finished(result.map { _ in () })
      completion(result)
    }
    guard loop.submit(transfer) else {
      transfer.onDone = nil
      metrics?.finished(.failure(CurlError.shutDown(url: transfer.displayURL)))
      completion(.failure(CurlError.shutDown(url: transfer.displayURL)))
      return nil
    }
    return transfer
  }
}

extension CurlError {
  /// The error of a transfer asked of a client that is shut down.
  static func shutDown(url: String) -> CurlError {
    CurlError(kind: .shutdown, code: 0, message: "the curl client is shut down", url: url)
  }
}
