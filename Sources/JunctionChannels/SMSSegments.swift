import JunctionModel

/// How an SMS text travels: its encoding and how many segments (billed SMS) it takes.
///
/// GSM-7 when every character is in the GSM 03.38 basic or extension table (extension
/// characters cost two septets), else UCS-2 counted in UTF-16 code units (characters outside
/// the Basic Multilingual Plane, most emoji, are surrogate pairs and cost two). A text that
/// fits one SMS (160 septets / 70 units) is one segment; a longer one is sent concatenated,
/// each part carrying a 6-octet header and so 153 septets / 67 units. An escape pair or a
/// surrogate pair never straddles two parts — it moves whole to the next one — so the count
/// is exact, not a division: 152 `a`, a `€` and 152 more `a` are 306 septets but 3 segments.
///
/// An empty text is one (empty) segment.
public struct SMSSegments: Sendable, Equatable {
  /// The SMS data coding.
  public enum Encoding: String, Sendable, Equatable {
    case gsm7 = "GSM-7"
    case ucs2 = "UCS-2"

    /// Units one unsplit SMS carries.
    public var singleCapacity: Int { self == .gsm7 ? 160 : 70 }
    /// Units each part of a concatenated SMS carries.
    public var partCapacity: Int { self == .gsm7 ? 153 : 67 }
  }

  /// GSM-7 or UCS-2.
  public var encoding: Encoding
  /// SMS the text takes.
  public var segments: Int
  /// Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2.
  public var units: Int

  /// Measures `text`.
  public init(_ text: String) {
    let layout = Self.layout(text)
    encoding = layout.encoding
    segments = layout.starts.count
    units = layout.units
  }

  /// `{"encoding": "GSM-7", "segments": 2}` — the form recorded on messages (`"sms"`).
  public var json: JSON {
    ["encoding": .string(encoding.rawValue), "segments": .int(Int64(segments))]
  }

  /// The texts of the segments `text` is sent as, in order; joined they give back `text`.
  public static func split(_ text: String) -> [String] {
    let layout = layout(text)
    let scalars = Array(text.unicodeScalars)
    var parts: [String] = []
    for (index, start) in layout.starts.enumerated() {
      let end = index + 1 < layout.starts.count ? layout.starts[index + 1] : scalars.count
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[start..<end])
      parts.append(String(view))
    }
    return parts
  }

  /// The encoding, total units and the scalar offset where each segment starts.
  static func layout(_ text: String) -> (encoding: Encoding, units: Int, starts: [Int]) {
    var costs: [Int] = []
    costs.reserveCapacity(text.unicodeScalars.count)
    var encoding = Encoding.gsm7
    for scalar in text.unicodeScalars {
      guard let septets = GSM0338.septets(scalar) else {
        encoding = .ucs2
        break
      }
      costs.append(septets)
    }
    if encoding == .ucs2 {
      costs = text.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
    }
    let total = costs.reduce(0, +)
    guard total > encoding.singleCapacity else { return (encoding, total, [0]) }
    var starts = [0]
    var used = 0
    for (offset, cost) in costs.enumerated() {
      if used + cost > encoding.partCapacity {
        starts.append(offset)
        used = 0
      }
      used += cost
    }
    return (encoding, total, starts)
  }
}
