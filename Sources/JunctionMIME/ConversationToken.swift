/// The conversation token Junction puts in the subject of the mail it sends, so that a reply
/// finds its conversation even when the customer's client drops `In-Reply-To`.
///
/// Format: `[#` + 6 to 12 characters `A`–`Z` / `0`–`9` + `]`, e.g. `[#K7QX2M9D]`.
public enum ConversationToken {
  /// Characters of generated codes: digits and capitals without the look-alikes 0, O, 1, I.
  static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

  /// Whether `code` (without `[#` and `]`) is 6-12 uppercase letters or digits.
  public static func isValid(_ code: String) -> Bool {
    (6...12).contains(code.utf8.count)
      && code.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
  }

  /// `[#CODE]`.
  public static func format(_ code: String) -> String { "[#\(code)]" }

  /// The code of every token in `subject`, in order.
  public static func findAll(in subject: String) -> [String] {
    var codes: [String] = []
    var rest = Substring(subject)
    while let open = rest.range(of: "[#") {
      let after = rest[open.upperBound...]
      guard let close = after.firstIndex(of: "]") else { break }
      let code = String(after[..<close])
      if isValid(code) {
        codes.append(code)
        rest = after[after.index(after: close)...]
      } else {
        rest = after
      }
    }
    return codes
  }

  /// The code of the first token in `subject`, or nil.
  public static func find(in subject: String) -> String? { findAll(in: subject).first }

  /// `subject` with ` [#CODE]` appended, unless that token is already there.
  public static func add(_ code: String, to subject: String) -> String {
    let token = format(code)
    if subject.contains(token) { return subject }
    let trimmed = subject.trimmingCharacters()
    return trimmed.isEmpty ? token : "\(trimmed) \(token)"
  }

  /// `subject` without any valid token (and the spaces around it collapsed).
  public static func remove(from subject: String) -> String {
    var result = subject
    for code in findAll(in: subject) {
      result = result.replacingOccurrencesOf(format(code), with: " ")
    }
    return result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
  }

  /// A new random code of `length` (6-12) characters.
  public static func generate<Generator: RandomNumberGenerator>(
    length: Int = 8, using generator: inout Generator
  ) -> String {
    let count = min(12, max(6, length))
    return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
  }

  /// A new random code from the system generator.
  public static func generate(length: Int = 8) -> String {
    var generator = SystemRandomNumberGenerator()
    return generate(length: length, using: &generator)
  }
}

extension String {
  func replacingOccurrencesOf(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.range(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    result += rest
    return result
  }
}
