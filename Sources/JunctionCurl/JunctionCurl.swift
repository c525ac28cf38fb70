import CCurl

/// The libcurl version this build links against, for logs and `/healthz` details.
public func curlVersion() -> String { String(cString: curl_version()) }
