/// Phone numbers in E.164 (`+` and up to 15 digits), so the same person is one contact
/// whichever channel they use: an SMS sender `8 (916) 123-45-67` on a Russian channel, a
/// WhatsApp `wa_id` `79161234567` and a Twilio `From` `+79161234567` all become
/// `+79161234567`.
///
/// Rules, in order (see ``Country`` for the local formats known):
/// 1. Spaces (incl. no-break), tabs, dashes, dots, slashes and parentheses are dropped; a
///    `tel:` prefix is allowed; any other character (letters, `*`, `#`, a `+` not in front)
///    rejects the input.
/// 2. `+digits` and `00digits` are international; so are the default country's own
///    international prefixes (`810` in Russia and Kazakhstan, `011` in North America).
/// 3. With a default country: its trunk prefix followed by a national number of the right
///    length (`89161234567` in RU, `07700900123` in GB, `09123456789` in IR), then — for
///    countries where that is unambiguous — a bare national number (`9161234567` in RU,
///    `4155550123` in US/CA).
/// 4. Otherwise digits that start with an assigned country calling code and are 8 to 15
///    digits long are taken as international without the `+` (Vonage `msisdn`, WhatsApp
///    `wa_id`).
///
/// A number is accepted only if its country calling code is assigned (ITU-T E.164 list) and
/// it has 7 to 15 digits; numbers under +1 (North America) and +7 (Russia, Kazakhstan) must
/// have exactly 10 national digits. Short codes and alphanumeric senders (`InfoSMS`) are not
/// phone numbers: the result is nil and callers keep the raw sender.
public enum PhoneNumber {
  /// The E.164 form of `raw`, or nil when it is not a phone number. `defaultCountry` is an
  /// ISO 3166 alpha-2 code (`RU`, `US`), used for local formats; unknown codes are ignored.
  public static func e164(_ raw: String, defaultCountry: String? = nil) -> String? {
    guard let (plus, digits) = clean(raw), !digits.isEmpty else { return nil }
    if plus { return international(digits, minimum: 7) }
    let country = defaultCountry.flatMap { Country.named($0) }
    var prefixes = ["00"]
    if let country { prefixes += country.internationalPrefixes }
    for prefix in prefixes where digits.hasPrefix(prefix) {
      return international(String(digits.dropFirst(prefix.count)), minimum: 7)
    }
    if let country {
      if let trunk = country.trunkPrefix, digits.hasPrefix(trunk) {
        let national = String(digits.dropFirst(trunk.count))
        if country.nationalLengths.contains(national.count) {
          return international(country.callingCode + national, minimum: 7)
        }
      }
      if country.bareNational, country.nationalLengths.contains(digits.count) {
        return international(country.callingCode + digits, minimum: 7)
      }
    }
    return international(digits, minimum: 8)
  }

  /// Whether `text` is already a valid E.164 number (`+` and digits, as ``e164(_:defaultCountry:)`` returns).
  public static func isE164(_ text: String) -> Bool {
    text.hasPrefix("+") && e164(text) == text
  }

  /// The country calling code `e164` starts with (`"7"`, `"44"`, `"380"`), if assigned.
  public static func callingCode(of e164: String) -> String? {
    let digits = e164.hasPrefix("+") ? String(e164.dropFirst()) : e164
    for length in 1...3 where digits.count > length {
      let code = String(digits.prefix(length))
      if CallingCodes.assigned.contains(code) { return code }
    }
    return nil
  }

  /// Whether the input had a leading `+`, and its digits; nil for characters that do not
  /// belong in a phone number.
  static func clean(_ raw: String) -> (plus: Bool, digits: String)? {
    var text = Substring(raw)
    while let first = text.unicodeScalars.first, isSeparator(first) { text = text.dropFirst() }
    if text.lowercased().hasPrefix("tel:") { text = text.dropFirst(4) }
    var plus = false
    var digits = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "0"..."9":
        digits.unicodeScalars.append(scalar)
      case "+" where digits.isEmpty && !plus:
        plus = true
      default:
        guard isSeparator(scalar) else { return nil }
      }
    }
    return (plus, digits)
  }

  static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case " ", "\t", "\u{A0}", "\u{202F}", "\u{2009}", "-", "\u{2010}", "\u{2011}", "\u{2012}",
      "\u{2013}", "\u{2014}", ".", "/", "(", ")":
      return true
    default:
      return false
    }
  }

  /// `+digits` when `digits` (country code first) is a plausible international number.
  static func international(_ digits: String, minimum: Int) -> String? {
    guard (minimum...15).contains(digits.count), let code = callingCode(of: digits) else {
      return nil
    }
    if code == "1" || code == "7", digits.count != 11 { return nil }
    return "+" + digits
  }
}
