/// A `Content-Type` (RFC 2045 §5): media type, subtype and parameters.
public struct ContentType: Sendable, Equatable, CustomStringConvertible {
  /// Lowercased top-level type (`text`, `multipart`, `image`).
  public var type: String
  /// Lowercased subtype (`plain`, `mixed`, `png`).
  public var subtype: String
  /// Parameters by lowercased name, decoded (RFC 2231 and 2047).
  public var parameters: [String: String]

  /// A content type; type and subtype are lowercased.
  public init(type: String, subtype: String, parameters: [String: String] = [:]) {
    self.type = type.asciiLowercased()
    self.subtype = subtype.asciiLowercased()
    self.parameters = parameters
  }

  /// The default for a part without a usable `Content-Type`: `text/plain; charset=us-ascii`.
  public static let defaultText = ContentType(
    type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])

  /// Parses a `Content-Type` value; nil when it has no `type/subtype` (the caller then
  /// uses the default, keeping any parameters, as RFC 2045 §5.2 says).
  public static func parse(_ value: String) -> (ContentType?, parameters: [String: String]) {
    let parsed = HeaderParameters.parse(value)
    let pieces = parsed.value.split(separator: "/", maxSplits: 1)
    guard pieces.count == 2 else { return (nil, parsed.parameters) }
    let type = String(pieces[0]).trimmingASCIIWhitespace()
    let subtype = String(pieces[1]).trimmingASCIIWhitespace()
    guard !type.isEmpty, !subtype.isEmpty, !type.utf8.contains(0x20), !subtype.utf8.contains(0x20)
    else {
      return (nil, parsed.parameters)
    }
    return (
      ContentType(type: type, subtype: subtype, parameters: parsed.parameters), parsed.parameters
    )
  }

  /// `type/subtype`.
  public var mimeType: String { "\(type)/\(subtype)" }
  /// The `charset` parameter, if any.
  public var charset: String? { parameters["charset"] }
  /// The `boundary` parameter of a multipart, if any.
  public var boundary: String? { parameters["boundary"] }
  /// The `name` parameter (the old way of naming an attachment), if any.
  public var name: String? { parameters["name"] }
  /// Whether the type is `multipart`.
  public var isMultipart: Bool { type == "multipart" }
  /// Whether the type is `text`.
  public var isText: Bool { type == "text" }
  /// Whether this is a message embedded whole (`message/rfc822`, `message/global`).
  public var isEmbeddedMessage: Bool {
    type == "message" && (subtype == "rfc822" || subtype == "global")
  }

  public var description: String { mimeType }
}

/// A `Content-Disposition` (RFC 2183): `inline` or `attachment`, and the filename.
public struct ContentDisposition: Sendable, Equatable {
  /// Lowercased disposition type (`inline`, `attachment`, or whatever the sender wrote).
  public var type: String
  /// Parameters by lowercased name, decoded (RFC 2231 and 2047).
  public var parameters: [String: String]

  /// A disposition; the type is lowercased.
  public init(type: String, parameters: [String: String] = [:]) {
    self.type = type.asciiLowercased()
    self.parameters = parameters
  }

  /// Parses a `Content-Disposition` value.
  public static func parse(_ value: String) -> ContentDisposition {
    let parsed = HeaderParameters.parse(value)
    return ContentDisposition(type: parsed.value, parameters: parsed.parameters)
  }

  /// Whether the type is `attachment`.
  public var isAttachment: Bool { type == "attachment" }
  /// Whether the type is `inline`.
  public var isInline: Bool { type == "inline" }
  /// The `filename` parameter, if any.
  public var filename: String? { parameters["filename"] }
}
