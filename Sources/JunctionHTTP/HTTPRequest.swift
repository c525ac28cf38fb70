/// A complete HTTP request, body included, as handed to a route handler.
public struct HTTPRequest: Sendable {
  public var method: HTTPMethod
  /// The raw request-target: `/v1/events?after=3`.
  public var target: String
  /// The raw path before `?`, not percent-decoded.
  public var path: String
  /// The raw query after `?`, empty when absent.
  public var query: String
  public var version: HTTPVersion
  public var headers: HTTPHeaders
  public var body: [UInt8]
  /// Values of the route pattern's `{name}` segments, percent-decoded.
  public var pathParameters: [String: String]
  /// The client's `address:port`.
  public var remoteAddress: String

  public init(
    method: HTTPMethod, target: String, version: HTTPVersion = .http11,
    headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
    pathParameters: [String: String] = [:],
    remoteAddress: String = ""
  ) {
    self.method = method
    self.target = target
    // Found as a byte: String.firstIndex(of:) walks grapheme clusters.
    if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
      path = String(target[..<mark])
      query = String(target[target.utf8.index(after: mark)...])
    } else {
      path = target
      query = ""
    }
    self.version = version
    self.headers = headers
    self.body = body
    self.pathParameters = pathParameters
    self.remoteAddress = remoteAddress
  }

  /// The query's `name=value` pairs, percent-decoded with `+` as space (form rules).
  public func queryParameters() -> [(name: String, value: String)] {
    FormEncoding.decode(query)
  }

  /// The first value of query parameter `name`.
  public func queryValue(_ name: String) -> String? {
    queryParameters().first { $0.name == name }?.value
  }
}

/// `application/x-www-form-urlencoded` and percent-encoding.
public enum FormEncoding {
  /// Decodes `a=1&b=two+words` into pairs; malformed escapes are kept literally.
  public static func decode(_ text: String) -> [(name: String, value: String)] {
    guard !text.isEmpty else { return [] }
    return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      if let equals = pair.firstIndex(of: "=") {
        return (
          percentDecode(pair[..<equals], plusAsSpace: true),
          percentDecode(pair[pair.index(after: equals)...], plusAsSpace: true)
        )
      }
      return (percentDecode(pair, plusAsSpace: true), "")
    }
  }

  /// Decodes `%XX` escapes (and `+` as space when asked); invalid escapes stay as written;
  /// invalid UTF-8 becomes U+FFFD.
  public static func percentDecode<Text: StringProtocol>(_ text: Text, plusAsSpace: Bool = false)
    -> String
  {
    // Most path parameters and form values hold no escape: no byte array for them.
    guard
      text.utf8.contains(where: {
        $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+"))
      })
    else { return String(text) }
    return String(
      decoding: percentDecodedBytes(Array(text.utf8), plusAsSpace: plusAsSpace), as: UTF8.self)
  }

  /// The bytes `%XX` escapes (and `+` as space when asked) stand for, in whatever charset they
  /// were written; invalid escapes stay as written.
  public static func percentDecodedBytes<Bytes: Collection>(
    _ bytes: Bytes, plusAsSpace: Bool = false
  ) -> [UInt8] where Bytes.Element == UInt8 {
    let bytes = Array(bytes)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
        let low = hexValue(bytes[index + 2])
      {
        out.append(high << 4 | low)
        index += 3
      } else {
        out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index += 1
      }
    }
    return out
  }

  /// Percent-encodes everything but unreserved characters (RFC 3986).
  public static func percentEncode(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.append(byte)
      default:
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Encodes pairs as a form body.
  public static func encode(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
