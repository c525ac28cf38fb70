extension PhoneNumber {
  /// A country's local dialling formats, for numbers written without the country code.
  public struct Country: Sendable, Equatable {
    /// ISO 3166 alpha-2 code (`RU`).
    public var iso: String
    /// Country calling code, digits only (`7`).
    public var callingCode: String
    /// The trunk prefix dialled before a national number (`8` in Russia, `0` in most of
    /// Europe, `1` in North America), nil where there is none (Spain, Italy).
    public var trunkPrefix: String?
    /// Lengths a national number (without trunk prefix) may have.
    public var nationalLengths: ClosedRange<Int>
    /// Whether a national number written without the trunk prefix is recognised
    /// (`9161234567` in Russia): only where national numbers cannot be mistaken for
    /// international ones.
    public var bareNational: Bool
    /// International call prefixes besides `00` (`810` in Russia, `011` in North America).
    public var internationalPrefixes: [String]

    /// The country with ISO code `iso` (case-insensitive), if Junction knows its formats.
    public static func named(_ iso: String) -> Country? {
      let upper = iso.uppercased()
      return all.first { $0.iso == upper }
    }

    /// The countries whose local formats Junction recognises (`default_country` values).
    public static let all: [Country] = [
      Country("RU", "7", trunk: "8", 10...10, bare: true, international: ["810"]),
      Country("KZ", "7", trunk: "8", 10...10, bare: true, international: ["810"]),
      Country("US", "1", trunk: "1", 10...10, bare: true, international: ["011"]),
      Country("CA", "1", trunk: "1", 10...10, bare: true, international: ["011"]),
      Country("GB", "44", trunk: "0", 9...10),
      Country("IR", "98", trunk: "0", 10...10, bare: true),
      Country("DE", "49", trunk: "0", 6...13),
      Country("FR", "33", trunk: "0", 9...9),
      Country("NL", "31", trunk: "0", 9...9),
      Country("UA", "380", trunk: "0", 9...9),
      Country("TR", "90", trunk: "0", 10...10),
      Country("IN", "91", trunk: "0", 10...10, bare: true),
      Country("AU", "61", trunk: "0", 9...9),
      Country("AE", "971", trunk: "0", 8...9),
      Country("ES", "34", trunk: nil, 9...9, bare: true),
      Country("IT", "39", trunk: nil, 6...11, bare: true),
    ]

    init(
      _ iso: String, _ callingCode: String, trunk: String?, _ lengths: ClosedRange<Int>,
      bare: Bool = false, international: [String] = []
    ) {
      self.iso = iso
      self.callingCode = callingCode
      trunkPrefix = trunk
      nationalLengths = lengths
      bareNational = bare
      internationalPrefixes = international
    }
  }
}

/// The assigned country calling codes of ITU-T E.164 (including the international
/// networks +800, +808, +870, +878, +881–883, +888).
enum CallingCodes {
  static let assigned: Set<String> = {
    var codes: Set<String> = ["1", "7"]
    let two = [
      20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
      55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ]
    var three: [Int] = [211, 212, 213, 216, 218, 290, 291, 297, 298, 299]
    three += Array(220...258) + Array(260...269)
    three += Array(350...359) + Array(370...383) + [385, 386, 387, 389, 420, 421, 423]
    three += Array(500...509) + Array(590...599)
    three += [670] + Array(672...683) + Array(685...692)
    three += [800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888]
    three += Array(960...968) + Array(970...977) + [979] + Array(992...996) + [998]
    for code in two + three { codes.insert(String(code)) }
    return codes
  }()
}
