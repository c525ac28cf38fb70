import JunctionSystem

/// Metric handles of one client, looked up once.
struct CurlMetrics: Sendable {
  private let inFlight: Gauge
  private let succeeded: Counter
  private let timedOut: Counter
  private let connectionFailed: Counter
  private let failed: Counter

  /// Handles labelled with the client kind (`http`, `smtp`).
  init(registry: MetricsRegistry, client: String) {
    let name = "junction_curl_transfers_total"
    let help = "libcurl transfers by outcome"
    inFlight = registry.gauge(
      "junction_curl_in_flight", help: "libcurl transfers running", labels: [("client", client)])
    succeeded = registry.counter(
      name, help: help, labels: [("client", client), ("outcome", "ok")])
    timedOut = registry.counter(
      name, help: help, labels: [("client", client), ("outcome", "timeout")])
    connectionFailed = registry.counter(
      name, help: help, labels: [("client", client), ("outcome", "connection")])
    failed = registry.counter(
      name, help: help, labels: [("client", client), ("outcome", "error")])
  }

  func started() { inFlight.add(1) }

  func finished(_ result: Result<Void, CurlError>) {
    inFlight.add(-1)
    switch result {
    case .success: succeeded.increment()
    case .failure(let error) where error.isTimeout: timedOut.increment()
    case .failure(let error) where error.isConnectionFailure: connectionFailed.increment()
    case .failure: failed.increment()
    }
  }
}
