import Foundation

/// Parses raw RFC 5322 / MIME messages (RFC 2045-2049) into a ``MailMessage``.
///
/// Pure and tolerant: no I/O, never traps on any input, malformed mail is parsed as far as it
/// goes and its defects are listed in ``MailMessage/issues``. Work is bounded by ``limits``.
///
/// ```swift
/// let message = try MIMEParser().parse(rawBytes)
/// print(message.subject ?? "", message.from.first?.address ?? "", message.text ?? "")
/// ```
public struct MIMEParser: Sendable {
  /// The bounds applied while parsing.
  public var limits: MIMELimits

  /// A parser applying `limits`.
  public init(limits: MIMELimits = .standard) { self.limits = limits }

  /// Parses a whole message. Throws only ``MIMEError/messageTooLarge(size:limit:)``.
  public func parse(_ bytes: [UInt8]) throws(MIMEError) -> MailMessage {
    guard bytes.count <= limits.maxMessageBytes else {
      throw .messageTooLarge(size: bytes.count, limit: limits.maxMessageBytes)
    }
    var state = State()
    let root = parsePart(bytes, 0..<bytes.count, depth: 0, digest: false, state: &state)
    return MailMessage(root: root, issues: state.issues, size: bytes.count)
  }

  /// Parses a whole message given as `Data`.
  public func parse(_ data: Data) throws(MIMEError) -> MailMessage { try parse([UInt8](data)) }

  /// Parses only the header block at the start of `bytes`, whatever the message's size
  /// (for example to answer a message refused as too large).
  public func parseHeaders(_ bytes: [UInt8]) -> MailHeaders {
    let end = min(bytes.count, limits.maxHeaderBytes + 2)
    let block = HeaderBlockParser.parse(bytes, from: 0, to: end, limits: limits)
    return block.headers(fallback: nil)
  }

  struct State {
    var parts = 0
    var issues: [MIMEIssue] = []

    mutating func note(_ issue: MIMEIssue) {
      if issues.count < 100 && !issues.contains(issue) { issues.append(issue) }
    }
  }

  func parsePart(
    _ bytes: [UInt8], _ range: Range<Int>, depth: Int, digest: Bool, state: inout State
  ) -> MIMEPart {
    state.parts += 1
    let block = HeaderBlockParser.parse(
      bytes, from: range.lowerBound, to: range.upperBound, limits: limits)
    for issue in block.issues { state.note(issue) }
    var declared: ContentType?
    var parameters: [String: String] = [:]
    if let field = block.fields.first(where: { MailHeaders.sameName($0.name, "Content-Type") }) {
      (declared, parameters) = ContentType.parse(String(decoding: field.value, as: UTF8.self))
    }
    var contentType =
      declared
      ?? (digest
        ? ContentType(type: "message", subtype: "rfc822")
        : ContentType(type: "text", subtype: "plain", parameters: parameters))
    if contentType.isText && contentType.charset == nil && declared == nil {
      contentType.parameters["charset"] = "us-ascii"
    }
    let fallback = contentType.charset.flatMap { Charset($0) }
    let headers = block.headers(fallback: fallback == .utf8 ? nil : fallback)
    let disposition = headers["Content-Disposition"].map(ContentDisposition.parse)
    let encoding = (headers["Content-Transfer-Encoding"] ?? "7bit").trimmingASCIIWhitespace()
      .asciiLowercased()
    var part = MIMEPart(
      headers: headers, contentType: contentType, disposition: disposition,
      transferEncoding: encoding)
    let body = block.bodyStart..<max(block.bodyStart, range.upperBound)
    let nested = contentType.isMultipart || contentType.isEmbeddedMessage
    if nested && depth >= limits.maxDepth {
      state.note(.limitExceeded(.depth))
      part.body = Array(bytes[body])
      return part
    }
    if contentType.isMultipart {
      if let children = parseMultipart(bytes, body, part: part, depth: depth, state: &state) {
        part.children = children
        return part
      }
      part.contentType = ContentType(
        type: "text", subtype: "plain", parameters: ["charset": contentType.charset ?? "us-ascii"])
      part.body = Array(bytes[body])
      return part
    }
    let decoded = decodeBody(bytes[body], encoding: encoding, state: &state)
    part.body = decoded
    if contentType.isEmbeddedMessage {
      guard state.parts < limits.maxParts else {
        state.note(.limitExceeded(.parts))
        return part
      }
      let embedded = parsePart(
        decoded, 0..<decoded.count, depth: depth + 1, digest: false, state: &state)
      part.children = [embedded]
    }
    return part
  }

  /// Undoes a transfer encoding.
  func decodeBody(_ raw: ArraySlice<UInt8>, encoding: String, state: inout State) -> [UInt8] {
    switch encoding {
    case "base64":
      let (bytes, clean) = Base64.decode(raw)
      if !clean { state.note(.invalidBase64) }
      return bytes
    case "quoted-printable":
      return QuotedPrintable.decode(raw)
    case "7bit", "8bit", "binary", "":
      return Array(raw)
    default:
      state.note(.unknownTransferEncoding(encoding))
      return Array(raw)
    }
  }
}
