import JunctionChannels
import JunctionHTTP
import JunctionModel

extension WhatsAppAdapter {
  /// Fetches an inbound medium in WhatsApp's two steps: `GET {api_base}/{media-id}` with the
  /// access token answers `{"url", "mime_type", "file_size", …}`; then `GET url` with the
  /// same `Authorization` header returns the bytes. The URL lives about five minutes, so a
  /// refused second step (401/403/404) is retried with a fresh lookup; a media id WhatsApp no
  /// longer knows (it keeps media for a limited time) fails. A `file_size` above `maxBytes`
  /// fails as `too_large` before anything is downloaded.
  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    let authorization = [("Authorization", "Bearer \(accessToken)")]
    guard let mediaId = attachment.providerFileId, !mediaId.isEmpty else {
      guard let url = attachment.url else {
        return .failed(
          ProviderError(code: "no_file", message: "a \(attachment.kind) attachment has no file"))
      }
      return await DownloadResult.get(
        url, headers: authorization, transport: transport, maxBytes: maxBytes)
    }
    let lookup = ProviderRequest(
      method: "GET", url: "\(apiBase)/\(FormEncoding.percentEncode(mediaId))",
      headers: authorization, timeout: timeout)
    switch await transport.perform(lookup) {
    case .failure(let error):
      return .retry(
        ProviderError(
          code: error.isTimeout ? "timeout" : "connection_failed", message: error.message))
    case .success(let response):
      guard (200..<300).contains(response.status) else { return Self.lookupFailure(response) }
      guard let json = response.json, let url = json["url"]?.stringValue else {
        return .failed(
          ProviderError(
            code: "unexpected_response", message: "the media lookup answered without a url",
            httpStatus: response.status))
      }
      if let size = json["file_size"]?.intValue, size > maxBytes {
        return .failed(
          ProviderError(
            code: "too_large", message: "\(size) bytes exceed the limit of \(maxBytes)"))
      }
      let result = await DownloadResult.get(
        url, headers: authorization, transport: transport, maxBytes: maxBytes)
      switch result {
      case .downloaded(var file):
        file.contentType =
          json["mime_type"]?.stringValue ?? file.contentType ?? attachment.contentType
        file.filename = file.filename ?? attachment.filename
        return .downloaded(file)
      case .failed(let error) where [401, 403, 404].contains(error.httpStatus ?? 0):
        return .retry(error)
      default:
        return result
      }
    }
  }

  /// A failed media lookup: rate limits, 5xx and transient Graph errors are retried; an
  /// unknown or expired media id, a bad token and other 4xx fail.
  static func lookupFailure(_ response: ProviderResponse) -> DownloadResult {
    if let graph = MetaGraphError(body: response.body) {
      let error = graph.providerError(errorCode(graph.code ?? 0), httpStatus: response.status)
      switch classify(graph, httpStatus: response.status, retryAfter: nil) {
      case .retry: return .retry(error)
      default: return .failed(error)
      }
    }
    let error = ProviderError(
      code: "http_\(response.status)",
      message: String(decoding: response.body.prefix(200), as: UTF8.self),
      httpStatus: response.status)
    switch response.status {
    case 408, 429, 500..<600: return .retry(error)
    default: return .failed(error)
    }
  }
}
