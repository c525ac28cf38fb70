import JunctionModel

/// Answers a request. Runs on the connection's event-loop thread: must not block. Call the
/// responder exactly once, now or later from any thread.
public typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// Maps method + path patterns to handlers. Filled before the server starts, read-only after.
public final class HTTPRouter: @unchecked Sendable {
  /// A class: a connection holds its request's route from head to response, and a struct would
  /// be copied (its name, segments and handler retained) at every step.
  final class Route: Sendable {
    /// Position in the router, for cheap per-route metric lookups.
    let id: Int
    let method: HTTPMethod
    let segments: [Segment]
    let name: String
    let maxBodyBytes: Int?
    let handler: HTTPHandler

    init(
      id: Int, method: HTTPMethod, segments: [Segment], name: String, maxBodyBytes: Int?,
      handler: @escaping HTTPHandler
    ) {
      self.id = id
      self.method = method
      self.segments = segments
      self.name = name
      self.maxBodyBytes = maxBodyBytes
      self.handler = handler
    }
  }

  enum Segment: Sendable, Equatable {
    case literal(String)
    case parameter(String)
  }

  enum Match {
    case found(Route, [String: String])
    case methodNotAllowed([HTTPMethod])
    case notFound
  }

  private(set) var routes: [Route] = []
  /// Positions in ``routes`` by segment count, in order: a path is only compared with the
  /// routes that have as many segments (a few instead of all of them).
  private var routesBySegmentCount: [Int: [Int]] = [:]

  public init() {}

  /// Adds a route. `pattern` is a path of literal segments and `{name}` segments, each matching
  /// one path segment (`/v1/inbound/{channel}`). `name` labels metrics (default `METHOD
  /// pattern`); `maxBodyBytes` overrides the server's default body limit for this route.
  public func add(
    _ method: HTTPMethod, _ pattern: String, name: String? = nil, maxBodyBytes: Int? = nil,
    handler: @escaping HTTPHandler
  ) {
    let segments = Self.split(pattern).map { part -> Segment in
      if part.hasPrefix("{") && part.hasSuffix("}") {
        return .parameter(String(part.dropFirst().dropLast()))
      }
      return .literal(String(part))
    }
    routesBySegmentCount[segments.count, default: []].append(routes.count)
    routes.append(
      Route(
        id: routes.count, method: method, segments: segments, name: name ?? "\(method) \(pattern)",
        maxBodyBytes: maxBodyBytes, handler: handler))
  }

  /// The segments after the first `/` (`/v1/inbound/x` → `v1`, `inbound`, `x`; empty ones
  /// kept). Split as bytes by hand: String.split walks grapheme clusters and the generic
  /// byte split costs more than the routing it serves.
  static func split(_ path: String) -> [Substring] {
    var parts: [Substring] = []
    parts.reserveCapacity(6)
    let utf8 = path.utf8
    var start: String.Index?
    var index = utf8.startIndex
    while index != utf8.endIndex {
      if utf8[index] == UInt8(ascii: "/") {
        if let start { parts.append(Substring(utf8[start..<index])) }
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    if let start { parts.append(Substring(utf8[start..<utf8.endIndex])) }
    return parts
  }

  /// The route for `method` and raw `path`; `HEAD` falls back to `GET` routes.
  func match(_ method: HTTPMethod, _ path: String) -> Match {
    let parts = Self.split(path)
    var allowed: [HTTPMethod] = []
    var headFallback: Route?
    // Candidates are compared without building their parameters: only the route found
    // decodes them (a dictionary per candidate cost more than the comparisons).
    for position in routesBySegmentCount[parts.count] ?? [] {
      let route = routes[position]
      guard Self.matches(route.segments, parts) else { continue }
      if route.method == method { return .found(route, Self.parameters(route.segments, parts)) }
      if method == .head && route.method == .get && headFallback == nil { headFallback = route }
      allowed.append(route.method)
    }
    if let headFallback {
      return .found(headFallback, Self.parameters(headFallback.segments, parts))
    }
    return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
  }

  /// Whether `parts` fit `segments`: literals byte for byte, parameters non-empty.
  private static func matches(_ segments: [Segment], _ parts: [Substring]) -> Bool {
    guard segments.count == parts.count else { return false }
    for index in segments.indices {
      switch segments[index] {
      case .literal(let text):
        // Bytes, as the path came: String equality would compare canonical equivalence.
        guard sameBytes(parts[index], text) else { return false }
      case .parameter:
        guard !parts[index].isEmpty else { return false }
      }
    }
    return true
  }

  /// The decoded parameters of a path that `matches` the segments.
  private static func parameters(_ segments: [Segment], _ parts: [Substring]) -> [String: String] {
    var parameters: [String: String] = [:]
    for (segment, part) in zip(segments, parts) {
      if case .parameter(let name) = segment {
        parameters[name] = FormEncoding.percentDecode(part)
      }
    }
    return parameters
  }

  private static func sameBytes(_ part: Substring, _ text: String) -> Bool {
    guard part.utf8.count == text.utf8.count else { return false }
    let compared = part.utf8.withContiguousStorageIfAvailable { left in
      text.utf8.withContiguousStorageIfAvailable { right in
        UTF8Text.sameBytes(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
      }
    }
    return (compared ?? nil) ?? part.utf8.elementsEqual(text.utf8)
  }
}
