import JunctionChannels
import JunctionModel

extension TelegramAdapter {
  /// Fetches an inbound file: `getFile` with its `file_id` gives a `file_path`, served at
  /// `{api_base}/file/bot<token>/<file_path>`. Files whose announced size exceeds `maxBytes`
  /// (or that the Bot API refuses as `file is too big`, above 20 MB) fail with `too_large`
  /// without downloading; 429, 5xx and network errors are retried.
  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    guard let fileId = attachment.providerFileId else {
      guard let url = attachment.url else {
        return .failed(ProviderError(code: "no_url", message: "the attachment has no file_id"))
      }
      return await DownloadResult.get(url, transport: transport, maxBytes: maxBytes)
    }
    if let size = attachment.size, size > Int64(maxBytes) {
      return .failed(Self.tooLarge(size, maxBytes))
    }
    let request = ProviderRequest.json(methodURL("getFile"), ["file_id": .string(fileId)])
    let path: String
    switch Self.filePath(await transport.perform(request), maxBytes: maxBytes) {
    case .success(let found): path = found
    case .failure(let failure): return scrubbed(failure)
    }
    let url = "\(apiBase)/file/bot\(botToken)/\(path)"
    let fetched = await DownloadResult.get(url, transport: transport, maxBytes: maxBytes)
    guard case .downloaded(var file) = fetched else { return scrubbed(fetched) }
    if let known = attachment.contentType,
      file.contentType == nil || file.contentType == "application/octet-stream"
    {
      file.contentType = known
    }
    file.filename = attachment.filename ?? path.split(separator: "/").last.map(String.init)
    return .downloaded(file)
  }

  /// The `file_path` of a `getFile` answer, or how the download failed.
  static func filePath(_ result: Result<ProviderResponse, TransportError>, maxBytes: Int)
    -> Result<String, DownloadFailure>
  {
    switch classify(result, chatId: .null) {
    case .migrated:
      return .failure(.failed(ProviderError(code: "invalid_response", message: "getFile")))
    case .done(.retry(let error, _)):
      return .failure(.retry(error))
    case .done(.failed(let error, _, _)):
      if error.message.lowercased().contains("too big") {
        return .failure(.failed(ProviderError(code: "too_large", message: error.message)))
      }
      return .failure(.failed(error))
    case .done(.sent):
      break
    }
    let file = (try? result.get())?.json?["result"]
    if let size = file?["file_size"]?.intValue, size > Int64(maxBytes) {
      return .failure(.failed(tooLarge(size, maxBytes)))
    }
    guard let path = file?["file_path"]?.stringValue, !path.isEmpty,
      !path.split(separator: "/").contains("..")
    else {
      return .failure(
        .failed(ProviderError(code: "invalid_response", message: "getFile gave no file_path")))
    }
    return .success(path)
  }

  static func tooLarge(_ size: Int64, _ maxBytes: Int) -> ProviderError {
    ProviderError(code: "too_large", message: "\(size) bytes exceed the limit of \(maxBytes)")
  }

  /// A failed download as an error value (``DownloadResult`` without the success case).
  enum DownloadFailure: Error, Equatable {
    case retry(ProviderError)
    case failed(ProviderError)
  }

  func scrubbed(_ failure: DownloadFailure) -> DownloadResult {
    switch failure {
    case .retry(var error):
      error.message = scrubbed(error.message)
      return .retry(error)
    case .failed(var error):
      error.message = scrubbed(error.message)
      return .failed(error)
    }
  }

  func scrubbed(_ result: DownloadResult) -> DownloadResult {
    switch result {
    case .downloaded: return result
    case .retry(let error): return scrubbed(DownloadFailure.retry(error))
    case .failed(let error): return scrubbed(DownloadFailure.failed(error))
    }
  }
}
