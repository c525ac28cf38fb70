import JunctionConfig
import JunctionHTTP
import JunctionModel

/// Files: `GET /v1/attachments/{id}` (scope `read`) serves a stored file to helpdesks;
/// `POST /v1/attachments?filename=…` (scope `write`) stores the request body as a file to
/// attach to replies (`{"blob_id": …}`); `GET /v1/blobs/{id}?expires=…&signature=…` serves a
/// file to providers through a signed, expiring link (no token).
struct AttachmentsEndpoint: Sendable {
  let writer: StateWriter
  let blobs: BlobStore
  let links: BlobLinks

  func get(_ request: HTTPRequest, _ responder: HTTPResponder) {
    serve(request.pathParameters["id"] ?? "", responder)
  }

  func signed(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let id = request.pathParameters["id"] ?? ""
    guard
      links.verify(
        id, expires: request.queryValue("expires"), signature: request.queryValue("signature"))
    else {
      responder.respond(
        .error(403, code: "invalid_link", message: "the link is not valid or has expired"))
      return
    }
    serve(id, responder)
  }

  private func serve(_ id: String, _ responder: HTTPResponder) {
    guard let info = writer.store.read({ $0.blobs[id] }) else {
      responder.respond(.error(404, code: "not_found", message: "no attachment \(id)"))
      return
    }
    do {
      guard let bytes = try blobs.get(id) else {
        responder.respond(.error(404, code: "not_found", message: "attachment \(id) is missing"))
        return
      }
      var response = HTTPResponse(status: 200, body: bytes)
      response.headers.add("Content-Type", info.contentType ?? "application/octet-stream")
      if let filename = info.filename {
        let ascii = String(
          filename.unicodeScalars.map { $0.isASCII && $0 != "\"" ? Character($0) : "_" })
        response.headers.add(
          "Content-Disposition",
          "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(FormEncoding.percentEncode(filename))"
        )
      }
      response.headers.add("Cache-Control", "private, max-age=86400, immutable")
      responder.respond(response)
    } catch {
      responder.respond(.error(500, code: "blob_unreadable", message: "\(error)"))
    }
  }

  func upload(_ request: HTTPRequest, token: APIToken, _ responder: HTTPResponder) {
    guard !request.body.isEmpty else {
      responder.respond(.error(400, code: "empty_body", message: "send the file as the body"))
      return
    }
    let id: String
    do {
      id = try blobs.put(request.body)
    } catch {
      responder.respond(.error(503, code: "blob_store_unavailable", message: "\(error)"))
      return
    }
    let blob = BlobInfo(
      id: id, size: request.body.count, contentType: request.headers["Content-Type"],
      filename: request.queryValue("filename"))
    writer.write({ state, now in
      var plan = WritePlan(outcome: blob)
      plan.events.append(
        PlannedEvent(
          EventType.attachmentUploaded, at: now, streams: [],
          change: .blobStored(messageId: nil, index: 0, blob),
          json: ["blob": blob.json, "by": .string(token.name)]))
      return .success(plan)
    }) { result in
      switch result {
      case .success(let blob):
        var body = blob.json.objectValue ?? JSONObject()
        body["blob_id"] = .string(blob.id)
        responder.respond(.json(201, JSON.object(body).serialized()))
      case .failure(let failure): responder.respond(failure.response)
      }
    }
  }
}
