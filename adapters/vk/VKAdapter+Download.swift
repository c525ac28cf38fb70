import JunctionChannels
import JunctionModel

extension VKAdapter {
  /// Fetches an inbound file from the URL VK gave in the event (`providerFileId`, else
  /// `url`); VK's file servers need no token. Keeps the name and type the event announced
  /// when the file server's answer is less specific. 429, 5xx and network errors are retried;
  /// files over `maxBytes` fail with `too_large`.
  public func download(_ attachment: Attachment, transport: any ChannelTransport, maxBytes: Int)
    async -> DownloadResult
  {
    guard let url = attachment.providerFileId ?? attachment.url else {
      return .failed(ProviderError(code: "no_url", message: "VK gave no file URL"))
    }
    if let size = attachment.size, size > Int64(maxBytes) {
      return .failed(
        ProviderError(code: "too_large", message: "\(size) bytes exceed the limit of \(maxBytes)"))
    }
    let fetched = await DownloadResult.get(url, transport: transport, maxBytes: maxBytes)
    guard case .downloaded(var file) = fetched else { return fetched }
    if let known = attachment.contentType,
      file.contentType == nil || file.contentType == "application/octet-stream"
    {
      file.contentType = known
    }
    file.filename = file.filename ?? attachment.filename
    return .downloaded(file)
  }
}
