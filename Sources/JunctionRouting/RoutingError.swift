/// Errors of the routing module, each saying where the problem is.
public enum RoutingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A labelled-examples CSV file could not be read; `line` is 1-based.
  case csv(line: Int, message: String)

  /// One line, naming where the problem is.
  public var description: String {
    switch self {
    case .csv(let line, let message): return "line \(line): \(message)"
    }
  }
}
