import CCurl

/// libcurl's process-wide set-up, done once before the first handle.
enum CurlGlobal {
  private static let initialized: Bool = {
    curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
  }()

  /// Runs `curl_global_init` once (Swift runs a static initializer exactly once, thread-safely).
  static func ensureInitialized() { _ = initialized }
}

/// The libcurl version this build links against, for logs and `/healthz` details.
public func curlVersion() -> String { String(cString: curl_version()) }

/// Helpers for the URLs JunctionCurl builds and prints.
public enum CurlURL {
  /// The URL without user information (`scheme://user:pass@host` → `scheme://host`), for
  /// errors and log lines.
  public static func redacted(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    let rest = url[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
    return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
  }
}
