/// Finds URLs, e-mail addresses, phone numbers and order numbers among the whitespace-separated
/// chunks of a folded message and turns the rest into words (the second step of
/// ``TextNormalizer/normalize(_:)``).
struct EntityScanner {
  let chunks: [ArraySlice<Unicode.Scalar>]

  /// Words after which the next chunk holding a digit is an order number.
  static let orderKeywords: Set<String> = [
    "заказ", "заказа", "заказу", "заказе", "заказом", "order", "orders", "سفارش",
  ]
  /// Words allowed between an order keyword and the number (`order no. A-1234`).
  static let orderFillers: Set<String> = [
    "no", "nr", "number", "num", "n", "#", "№", "номер", "номером", "شماره",
  ]
  /// Top-level domains that make a bare `name.tld` a URL.
  static let topLevelDomains: Set<String> = [
    "com", "ru", "net", "org", "io", "ir", "рф", "info", "biz", "shop", "store", "app", "dev",
    "me", "co", "uk", "de", "su", "by", "kz", "ua", "eu", "online", "site", "ai",
  ]

  func scan() -> NormalizedText {
    var tokens: [String] = []
    var entities: [TextEntity] = []
    var scriptCounts = [0, 0, 0]
    var orderContext = false
    var index = 0
    while index < chunks.count {
      let core = Self.trimPunctuation(chunks[index])
      // Most chunks are plain words: build their text only when an entity is possible.
      var text: String { String(String.UnicodeScalarView(core)) }
      if orderContext, core.isEmpty || Self.orderFillers.contains(text) {
        index += 1
        continue
      }
      if orderContext, Self.isIdentifier(core) {
        entities.append(TextEntity(kind: .order, value: text))
        tokens.append(TextEntity.Kind.order.token)
        orderContext = false
        index += 1
        continue
      }
      orderContext = false
      if let kind = Self.singleChunkEntity(core) {
        let value = kind == .order ? String(String.UnicodeScalarView(core.dropFirst())) : text
        entities.append(TextEntity(kind: kind, value: value))
        tokens.append(kind.token)
        index += 1
        continue
      }
      if let (phone, used) = phone(at: index) {
        entities.append(TextEntity(kind: .phone, value: phone))
        tokens.append(TextEntity.Kind.phone.token)
        index += used
        continue
      }
      for word in TextNormalizer.words(in: chunks[index]) {
        tokens.append(word)
        if let script = TextNormalizer.script(of: word) { scriptCounts[script] += 1 }
        if Self.orderKeywords.contains(word) { orderContext = true }
      }
      index += 1
    }
    var language: String?
    if let best = scriptCounts.indices.max(by: { scriptCounts[$0] < scriptCounts[$1] }),
      scriptCounts[best] > 0
    {
      language = TextNormalizer.scriptLanguages[best]
    }
    return NormalizedText(tokens: tokens, entities: entities, language: language)
  }

  /// A URL, e-mail address or `#123` / `№123` order number in one chunk.
  static func singleChunkEntity(_ core: ArraySlice<Unicode.Scalar>) -> TextEntity.Kind? {
    guard let first = core.first, core.count >= 2 else { return nil }
    if first == "#" || first == "№", isIdentifier(core.dropFirst()) { return .order }
    if core.contains("@") { return isEmail(core) ? .email : nil }
    guard core.contains(where: { $0 == "." || $0 == "/" }) else { return nil }
    let text = String(String.UnicodeScalarView(core))
    if text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("www.") {
      return core.count > 8 ? .url : nil
    }
    return isBareDomain(text) ? .url : nil
  }

  /// `name@domain.tld`.
  static func isEmail(_ core: ArraySlice<Unicode.Scalar>) -> Bool {
    let parts = core.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty else { return false }
    let local = parts[0].allSatisfy {
      TextNormalizer.isWordScalar($0) || $0 == "." || $0 == "_" || $0 == "%" || $0 == "+"
        || $0 == "-"
    }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    guard local, labels.count >= 2, let last = labels.last, last.count >= 2 else { return false }
    return labels.allSatisfy { label in
      !label.isEmpty && label.allSatisfy { TextNormalizer.isWordScalar($0) || $0 == "-" }
    }
  }

  /// `shop.example.com/path` with a known top-level domain.
  static func isBareDomain(_ text: String) -> Bool {
    let host = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, let last = labels.last, topLevelDomains.contains(String(last)),
      labels[0].count >= 2
    else { return false }
    return labels.allSatisfy { label in
      !label.isEmpty
        && label.unicodeScalars.allSatisfy { TextNormalizer.isWordScalar($0) || $0 == "-" }
    }
  }

  /// An order id: up to 32 letters, digits, `-`, `_` or `/`, with at least one digit.
  static func isIdentifier(_ core: ArraySlice<Unicode.Scalar>) -> Bool {
    guard !core.isEmpty, core.count <= 32,
      core.contains(where: {
        ($0.value >= 0x30 && $0.value <= 0x39)
          || ($0.value >= 0x80 && $0.properties.numericType != nil)
      })
    else { return false }
    return core.allSatisfy {
      TextNormalizer.isWordScalar($0) || $0 == "-" || $0 == "_" || $0 == "/"
    }
  }

  /// A phone number starting at chunk `index`, possibly spread over several chunks
  /// (`+7 (912) 345-67-89`); the text and the number of chunks it used.
  func phone(at index: Int) -> (String, Int)? {
    var used = 0
    var digits = 0
    var separators = false
    var parts: [String] = []
    while index + used < chunks.count, digits < 15 {
      let core = Self.trimPunctuation(chunks[index + used], keepPhone: true)
      guard !core.isEmpty,
        core.allSatisfy({
          ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "+" || $0 == "(" || $0 == ")"
            || $0 == "-" || $0 == "."
        }),
        core.contains(where: { $0.value >= 0x30 && $0.value <= 0x39 })
      else { break }
      let count = core.filter { $0.value >= 0x30 && $0.value <= 0x39 }.count
      if used > 0, core.first == "+" || count < 2 { break }
      digits += count
      separators = separators || core.contains("-") || core.contains("(")
      parts.append(String(String.UnicodeScalarView(core)))
      used += 1
    }
    guard used > 0, digits <= 15 else { return nil }
    let text = parts.joined(separator: " ")
    let plus = text.hasPrefix("+")
    let accepted: Bool
    if digits >= 10 {
      accepted = plus || separators || used == 1 || text.hasPrefix("8") || text.hasPrefix("7")
    } else if digits >= 7 {
      accepted = separators || (plus && digits >= 8)
    } else {
      accepted = false
    }
    return accepted ? (text, used) : nil
  }

  /// The chunk without leading and trailing punctuation (brackets and `+` kept for phones).
  static func trimPunctuation(_ chunk: ArraySlice<Unicode.Scalar>, keepPhone: Bool = false)
    -> ArraySlice<Unicode.Scalar>
  {
    var result = chunk
    while let first = result.first, isLeadingPunctuation(first, keepPhone: keepPhone) {
      result = result.dropFirst()
    }
    while let last = result.last, isTrailingPunctuation(last, keepPhone: keepPhone) {
      result = result.dropLast()
    }
    return result
  }

  /// `"'«“(<[{` (the bracket kept for phones).
  @inline(__always)
  static func isLeadingPunctuation(_ scalar: Unicode.Scalar, keepPhone: Bool) -> Bool {
    switch scalar {
    case "\"", "'", "«", "“", "<", "[", "{": return true
    case "(": return !keepPhone
    default: return false
    }
  }

  /// `.,;:!?"'»”)>]}` (the bracket kept for phones).
  @inline(__always)
  static func isTrailingPunctuation(_ scalar: Unicode.Scalar, keepPhone: Bool) -> Bool {
    switch scalar {
    case ".", ",", ";", ":", "!", "?", "\"", "'", "»", "”", ">", "]", "}": return true
    case ")": return !keepPhone
    default: return false
    }
  }
}
