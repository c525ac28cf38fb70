import JunctionModel

/// Replaces `${NAME}` and `${NAME:-fallback}` in every string of a JSON document with the
/// environment's values (DESIGN.md, principle 5: secrets are `${ENV_NAME}` references).
///
/// `$${` stays a literal `${`. A variable that is unset and has no fallback is an issue at the
/// string's JSON path; a fallback that was used is recorded in ``ConfigContext/fallbacks`` so
/// secrets still at their shipped defaults can be warned about.
public enum EnvironmentInterpolation {
  /// The document with every reference replaced.
  public static func apply(_ json: JSON, environment: [String: String], context: ConfigContext)
    -> JSON
  {
    walk(json, path: "", environment: environment, context: context)
  }

  private static func walk(
    _ json: JSON, path: String, environment: [String: String], context: ConfigContext
  ) -> JSON {
    switch json {
    case .string(let text):
      return .string(substitute(text, path: path, environment: environment, context: context))
    case .array(let items):
      return .array(
        items.enumerated().map { index, item in
          walk(item, path: "\(path)[\(index)]", environment: environment, context: context)
        })
    case .object(let object):
      var result = JSONObject()
      for (key, value) in object {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        result.append(key, walk(value, path: childPath, environment: environment, context: context))
      }
      return .object(result)
    default:
      return json
    }
  }

  /// Substitutes references in one string.
  static func substitute(
    _ text: String, path: String, environment: [String: String], context: ConfigContext
  ) -> String {
    guard text.contains("$") else { return text }
    var output = ""
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      output += rest[..<dollar]
      let afterDollar = rest.index(after: dollar)
      if rest[afterDollar...].hasPrefix("${") {
        output += "${"
        rest = rest[rest.index(afterDollar, offsetBy: 2)...]
        continue
      }
      guard rest[afterDollar...].hasPrefix("{"),
        let close = rest[afterDollar...].firstIndex(of: "}")
      else {
        output += "$"
        rest = rest[afterDollar...]
        continue
      }
      let inner = rest[rest.index(after: afterDollar)..<close]
      let name: Substring
      let fallback: Substring?
      if let separator = inner.range(of: ":-") {
        name = inner[..<separator.lowerBound]
        fallback = inner[separator.upperBound...]
      } else {
        name = inner
        fallback = nil
      }
      if !isValidName(name) {
        context.issue(path, "invalid environment reference \"${\(inner)}\"")
      } else if let value = environment[String(name)] {
        output += value
      } else if let fallback {
        output += fallback
        context.fallbacks[path] = String(name)
      } else {
        context.issue(path, "environment variable \(name) is not set and has no default")
      }
      rest = rest[rest.index(after: close)...]
    }
    output += rest
    return output
  }

  private static func isValidName(_ name: Substring) -> Bool {
    guard let first = name.first, first == "_" || first.isLetter else { return false }
    return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
  }
}
