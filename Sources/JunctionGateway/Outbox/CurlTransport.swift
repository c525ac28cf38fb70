import JunctionChannels

/// The product's HTTP transport to providers and webhook receivers.
///
/// TEMPORARY until the libcurl client (JunctionCurl) lands on main: every call fails as a
/// connection failure, so nothing is lost — sends stay in the outbox and retry.
struct CurlTransport: ChannelTransport {
  func perform(_ request: ProviderRequest) async -> Result<ProviderResponse, TransportError> {
    .failure(TransportError(message: "outbound HTTP client not built in yet"))
  }
}
