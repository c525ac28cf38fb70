/// Whether a plain `smtp://` or `imap://` connection is upgraded with STARTTLS
/// (`CURLOPT_USE_SSL`). Implicit-TLS URLs (`smtps://`, `imaps://`) always use TLS.
public enum CurlTLSPolicy: String, Sendable, Equatable {
  /// Never upgrade: plain text (loopback tests, local relays).
  case none
  /// Upgrade when the server offers STARTTLS, otherwise go on in plain text.
  case opportunistic
  /// Upgrade or fail (`CURLE_USE_SSL_FAILED`) when the server does not offer STARTTLS.
  case required
}
