import JunctionHTTP
import JunctionSystem

/// `GET /healthz` and `GET /metrics`, for operators; no authentication.
struct OperationsEndpoints: Sendable {
  let metrics: MetricsRegistry
  let health: @Sendable () -> HealthReport

  func healthz(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let report = health()
    responder.respond(.json(report.isHealthy ? 200 : 503, report.json.serialized()))
  }

  func metrics(_ request: HTTPRequest, _ responder: HTTPResponder) {
    var response = HTTPResponse(status: 200, body: Array(metrics.render().utf8))
    response.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
    responder.respond(response)
  }
}
