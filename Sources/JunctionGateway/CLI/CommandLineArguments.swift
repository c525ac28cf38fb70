/// Parsed `--flag value` options and positional arguments of a subcommand.
public struct CommandLineArguments: Sendable {
  public var positional: [String] = []
  public var options: [String: String] = [:]
  public var flags: Set<String> = []

  /// Parses `arguments`; `valued` names the options that take a value (`--config DIR` or
  /// `--config=DIR`). Unknown `--options` are errors.
  public init(_ arguments: [String], valued: Set<String>, flags allowedFlags: Set<String> = [])
    throws(UsageError)
  {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument.hasPrefix("--") {
        let body = String(argument.dropFirst(2))
        if let equals = body.firstIndex(of: "=") {
          let name = String(body[..<equals])
          guard valued.contains(name) else { throw UsageError("unknown option --\(name)") }
          options[name] = String(body[body.index(after: equals)...])
        } else if valued.contains(body) {
          guard index + 1 < arguments.count else { throw UsageError("--\(body) needs a value") }
          options[body] = arguments[index + 1]
          index += 1
        } else if allowedFlags.contains(body) {
          flags.insert(body)
        } else {
          throw UsageError("unknown option --\(body)")
        }
      } else {
        positional.append(argument)
      }
      index += 1
    }
  }
}

/// A command line that cannot be understood; printed with the usage text, exit status 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
