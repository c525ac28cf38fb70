import Foundation
import JunctionModel

/// A configuration directory (`config/`): reads its JSON files, reports syntax errors with
/// line and column, and interpolates `${ENV}` references.
public struct ConfigDirectory: Sendable {
  public var path: String
  public var environment: [String: String]

  public init(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.path = path
    self.environment = environment
  }

  /// Whether `file` exists in the directory.
  public func exists(_ file: String) -> Bool {
    FileManager.default.fileExists(atPath: url(file).path)
  }

  /// The full path of `file`.
  public func url(_ file: String) -> URL {
    URL(fileURLWithPath: path).appendingPathComponent(file)
  }

  /// Reads raw bytes of `file`; a missing or unreadable file is an issue.
  public func bytes(_ file: String, context: ConfigContext) -> [UInt8]? {
    guard let data = FileManager.default.contents(atPath: url(file).path) else {
      context.issue("", exists(file) ? "cannot be read" : "file not found in \(path)")
      return nil
    }
    return [UInt8](data)
  }

  /// Parses `file` as JSON and interpolates the environment; nil (with issues) when it cannot.
  public func json(_ file: String, context: ConfigContext) -> JSON? {
    guard let bytes = bytes(file, context: context) else { return nil }
    return Self.parse(bytes, context: context, environment: environment)
  }

  /// Parses config bytes (from a file or the admin API) and interpolates the environment.
  public static func parse(_ bytes: [UInt8], context: ConfigContext, environment: [String: String])
    -> JSON?
  {
    do {
      let json = try JSONParser(maxDepth: 32, allowDuplicateKeys: false).parse(bytes)
      return EnvironmentInterpolation.apply(json, environment: environment, context: context)
    } catch {
      let (line, column) = lineAndColumn(of: error.offset, in: bytes)
      context.issue("", "invalid JSON at line \(line), column \(column): \(error.reason)")
      return nil
    }
  }

  /// 1-based line and column of a byte offset.
  static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
    var line = 1
    var column = 1
    for byte in bytes.prefix(offset) {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }
}
