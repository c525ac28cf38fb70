/// Recognises the SMS compliance keywords: a customer texting STOP opts out, START opts back
/// in, HELP asks for help.
///
/// Only a whole message counts ("STOP", " stop. ", "Stop!" — not "please stop sending"):
/// matching ignores case (Unicode-aware, so `стоп` is `СТОП`), all whitespace (so `STOP ALL`
/// is `STOPALL`) and trailing punctuation. The lists are configurable per channel; a word in
/// more than one list counts as the first of opt-out, opt-in, help.
public struct OptOutKeywords: Sendable, Equatable {
  /// What a keyword message asks for.
  public enum Action: String, Sendable, Equatable {
    case optOut = "opt_out"
    case optIn = "opt_in"
    case help
  }

  /// Opt-out keywords of the CTIA guidelines and carriers, plus Russian.
  public static let defaultOptOut = [
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "СТОП", "ОТПИСАТЬСЯ",
  ]
  /// Opt-in keywords (CTIA), plus Russian.
  public static let defaultOptIn = ["START", "UNSTOP", "YES", "СТАРТ"]
  /// Help keywords (CTIA), plus Russian.
  public static let defaultHelp = ["HELP", "INFO", "СПРАВКА"]

  /// Keywords that opt the sender out, as configured.
  public var optOut: [String]
  /// Keywords that opt the sender back in, as configured.
  public var optIn: [String]
  /// Keywords that ask for help, as configured.
  public var help: [String]
  private var normalized: [String: Action]

  /// Lists as configured; defaults are the standard keywords above.
  public init(
    optOut: [String] = defaultOptOut, optIn: [String] = defaultOptIn,
    help: [String] = defaultHelp
  ) {
    self.optOut = optOut
    self.optIn = optIn
    self.help = help
    var normalized: [String: Action] = [:]
    for (list, action) in [(help, Action.help), (optIn, .optIn), (optOut, .optOut)] {
      for keyword in list {
        let key = Self.normalize(keyword)
        if !key.isEmpty { normalized[key] = action }
      }
    }
    self.normalized = normalized
  }

  /// The action `text` asks for, or nil for an ordinary message.
  public func match(_ text: String) -> Action? {
    // Keywords are short; long texts are never keywords (and are not worth normalising).
    guard text.utf8.count <= 200 else { return nil }
    let key = Self.normalize(text)
    return key.isEmpty ? nil : normalized[key]
  }

  /// Uppercased, without whitespace and without trailing punctuation.
  static func normalize(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !scalar.properties.isWhitespace {
      scalars.append(scalar)
    }
    while let last = scalars.last, isTrailingPunctuation(last) { scalars.removeLast() }
    return String(scalars).uppercased()
  }

  static func isTrailingPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .otherPunctuation, .finalPunctuation, .closePunctuation, .dashPunctuation:
      return true
    default:
      return false
    }
  }
}
