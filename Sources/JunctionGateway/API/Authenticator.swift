import JunctionConfig
import JunctionDigest
import JunctionHTTP

/// Checks `Authorization: Bearer TOKEN` against the tokens of `gateway.json`.
struct Authenticator: Sendable {
  let tokens: [APIToken]

  /// The token behind the request if it may use `scope`; otherwise the 401/403 to answer.
  func authorize(_ request: HTTPRequest, scope: Scope) -> Result<APIToken, RejectedRequest> {
    guard let header = request.headers["Authorization"] else {
      return .failure(
        RejectedRequest(
          .error(401, code: "unauthorized", message: "missing Authorization: Bearer token")))
    }
    let prefix = "bearer "
    guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else {
      return .failure(
        RejectedRequest(
          .error(401, code: "unauthorized", message: "Authorization must be a Bearer token")))
    }
    let presented = Array(header.utf8.dropFirst(prefix.count))
    // Compare against every token so timing does not reveal which one nearly matched.
    var match: APIToken?
    for token in tokens where constantTimeEquals(Array(token.token.utf8), presented) {
      match = token
    }
    guard let match else {
      return .failure(RejectedRequest(.error(401, code: "unauthorized", message: "unknown token")))
    }
    guard match.scopes.contains(scope) else {
      return .failure(
        RejectedRequest(
          .error(
            403, code: "forbidden",
            message: "token \"\(match.name)\" lacks the \(scope.rawValue) scope")))
    }
    return .success(match)
  }
}
