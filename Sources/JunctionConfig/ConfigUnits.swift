import Foundation

/// Parses the human units config files use for durations and sizes.
public enum ConfigUnits {
  /// Seconds in `"500ms"`, `"30s"`, `"5m"`, `"2h"`, `"1d"`, `"1h30m"`; nil when malformed or
  /// not finite.
  public static func seconds(_ text: String) -> Double? {
    let units: [(String, Double)] = [
      ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
    ]
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !rest.isEmpty else { return nil }
    var total = 0.0
    while !rest.isEmpty {
      let digits = rest.prefix { $0.isNumber || $0 == "." }
      guard !digits.isEmpty, let value = Double(digits) else { return nil }
      rest = rest.dropFirst(digits.count)
      guard
        let unit = units.first(where: {
          rest.hasPrefix($0.0) && !(rest.hasPrefix("ms") && $0.0 == "m")
        })
      else { return nil }
      total += value * unit.1
      rest = rest.dropFirst(unit.0.count)
    }
    return total.isFinite ? total : nil
  }

  /// Bytes in `"16KiB"`, `"1MiB"`, `"64MiB"`, `"1GiB"`, `"10KB"`, `"512B"`; nil when malformed or
  /// too large for an `Int`.
  public static func bytes(_ text: String) -> Int? {
    let units: [(String, Int)] = [
      ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000),
      ("GB", 1_000_000_000), ("B", 1),
    ]
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
      guard let value = Int(number), value >= 0 else { return nil }
      let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
      return overflow ? nil : bytes
    }
    return nil
  }
}
