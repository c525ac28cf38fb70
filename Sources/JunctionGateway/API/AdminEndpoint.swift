import Foundation
import JunctionConfig
import JunctionHTTP
import JunctionModel

/// Admin calls on the routing configuration (scope `admin`): `GET /v1/admin/config` the routing
/// configuration in force; `POST /v1/admin/config/validate` checks candidate files;
/// `PUT /v1/admin/config` writes them and applies them when (and only when) they are valid.
struct AdminEndpoint: Sendable {
  static let editable: Set<String> = ["routing.json", "faq.json"]

  let routing: RoutingService
  let reloader: RoutingConfigReloader
  let store: StateStore
  let directory: ConfigDirectory

  func config(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let configuration = routing.configuration
    let version = store.read { $0.configVersion }
    var files = JSONObject()
    for name in Self.editable.sorted() {
      if let data = FileManager.default.contents(atPath: directory.url(name).path),
        let json = try? JSON.parse([UInt8](data))
      {
        files[name] = json
      }
    }
    let body: JSON = [
      "version": .int(Int64(version)), "digest": .string(configuration.digest),
      "queues": .array(configuration.queueIds.sorted().map(JSON.string)),
      "tests": .int(Int64(configuration.tests.count)), "files": .object(files),
    ]
    responder.respond(.json(200, body.serialized()))
  }

  func validate(_ request: HTTPRequest, _ responder: HTTPResponder) {
    candidate(request, responder) { _, problems in
      let body: JSON = [
        "valid": .bool(problems.isEmpty), "problems": .array(problems.map(JSON.string)),
      ]
      responder.respond(.json(200, body.serialized()))
    }
  }

  func replace(_ request: HTTPRequest, _ responder: HTTPResponder) {
    candidate(request, responder) { files, problems in
      guard problems.isEmpty else {
        let body: JSON = ["valid": false, "problems": .array(problems.map(JSON.string))]
        responder.respond(.json(422, body.serialized()))
        return
      }
      do {
        for (name, bytes) in files {
          try Data(bytes).write(to: directory.url(name), options: .atomic)
        }
      } catch {
        responder.respond(.error(500, code: "config_not_written", message: "\(error)"))
        return
      }
      reloader.reloadNow()
      let body: JSON = ["valid": true, "applied": true]
      responder.respond(.json(200, body.serialized()))
    }
  }

  /// Copies the config directory with the request's files over it and checks it as a reload
  /// would; `done` gets the files and the problems.
  private func candidate(
    _ request: HTTPRequest, _ responder: HTTPResponder,
    done: ([(String, [UInt8])], [String]) -> Void
  ) {
    guard case .success(let body) = RequestBody.object(request, allowed: Self.editable) else {
      responder.respond(
        .error(
          400, code: "invalid_body", message: "expected {\"routing.json\": {…}, \"faq.json\": {…}}")
      )
      return
    }
    let files = body.object.map { ($0.key, $0.value.serialized()) }
    let scratch = NSTemporaryDirectory() + "junction-config-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    do {
      try FileManager.default.copyItem(atPath: directory.path, toPath: scratch)
      for (name, bytes) in files {
        try Data(bytes).write(to: URL(fileURLWithPath: scratch).appendingPathComponent(name))
      }
    } catch {
      responder.respond(.error(500, code: "config_unreadable", message: "\(error)"))
      return
    }
    let problems = RoutingConfigReloader.problems(
      in: ConfigDirectory(path: scratch, environment: directory.environment)
    )
    .map { $0.replacingOccurrences(of: scratch, with: directory.path) }
    done(files, problems)
  }
}

/// `POST /v1/admin/route-preview`: the decision for `{"text", "channel", "contact",
/// "language", "at"}` with its explanation and a summary; nothing is stored.
enum RoutePreview {
  static func handle(_ request: HTTPRequest, routing: RoutingService, _ responder: HTTPResponder) {
    let parsed = RequestBody.object(
      request, allowed: ["text", "channel", "contact", "language", "at"]
    ).flatMap { body in
      RequestBody.fields { () throws(FieldError) -> RoutingFacts in
        try RoutePreviewRequest.facts(
          text: try body.nonEmptyString("text"), channel: try body.optionalString("channel"),
          contact: try body.optionalObject("contact")?.object ?? JSONObject(),
          language: try body.optionalString("language"), at: try body.optionalString("at"))
      }
    }
    switch parsed {
    case .failure(let failure): responder.respond(failure.response)
    case .success(let facts):
      let decision = RoutingDecider.decide(facts, configuration: routing.configuration)
      var body = decision.json.objectValue ?? JSONObject()
      body["summary"] = .string(RoutePreviewRequest.summary(decision))
      responder.respond(.json(200, JSON.object(body).serialized()))
    }
  }
}
