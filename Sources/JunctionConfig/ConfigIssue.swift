/// One problem found in a configuration file, with where it is.
///
/// Printed as `routing.json: queues[2].skill: unknown skill "biling"`, one line per issue,
/// by `junction check-config` and in start-up errors.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's name relative to the config directory (`gateway.json`).
  public var file: String
  /// The JSON path (`tokens[0].scopes`); empty for the whole file.
  public var path: String
  public var message: String

  public init(file: String, path: String, message: String) {
    self.file = file
    self.path = path
    self.message = message
  }

  public var description: String {
    path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
  }
}

/// Configuration could not be loaded; `issues` lists every problem found (not just the first).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
  public var issues: [ConfigIssue]

  public init(_ issues: [ConfigIssue]) { self.issues = issues }

  public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues and warnings while one file is read.
public final class ConfigContext: @unchecked Sendable {
  /// The file being read, as named in issues.
  public let file: String
  public private(set) var issues: [ConfigIssue] = []
  /// Things that load but deserve a look (a secret at its shipped default).
  public private(set) var warnings: [ConfigIssue] = []
  /// JSON paths whose value came from a `${NAME:-fallback}` default, with the variable name.
  public var fallbacks: [String: String] = [:]

  public init(file: String) { self.file = file }

  /// Records a problem at `path`.
  public func issue(_ path: String, _ message: String) {
    issues.append(ConfigIssue(file: file, path: path, message: message))
  }

  /// Records a warning at `path`.
  public func warn(_ path: String, _ message: String) {
    warnings.append(ConfigIssue(file: file, path: path, message: message))
  }

  /// Moves another context's findings into this one (for files read as part of this one).
  public func absorb(_ other: ConfigContext) {
    issues += other.issues
    warnings += other.warnings
  }
}
