/// Bounds the parser keeps so that hostile or broken mail cannot exhaust memory or the stack.
///
/// Exceeding ``maxMessageBytes`` makes ``MIMEParser/parse(_:)`` throw; the other limits are
/// soft: the parser stops at the limit, keeps what it has and records
/// ``MIMEIssue/limitExceeded(_:)`` in ``MailMessage/issues``.
public struct MIMELimits: Sendable, Equatable {
  /// Largest raw message accepted (default 50 MiB).
  public var maxMessageBytes: Int
  /// Most MIME parts (leaves and containers, nested messages included) parsed per message
  /// (default 1000); parts after it are dropped.
  public var maxParts: Int
  /// Deepest nesting of multiparts and embedded messages (default 20); a deeper container
  /// is kept as an opaque leaf.
  public var maxDepth: Int
  /// Largest header block of one part, in bytes (default 256 KiB); the rest is skipped.
  public var maxHeaderBytes: Int
  /// Most header fields kept per part (default 1000).
  public var maxHeaderFields: Int

  /// Limits; every argument defaults to the value documented on its property.
  public init(
    maxMessageBytes: Int = 50 << 20, maxParts: Int = 1000, maxDepth: Int = 20,
    maxHeaderBytes: Int = 256 << 10, maxHeaderFields: Int = 1000
  ) {
    self.maxMessageBytes = maxMessageBytes
    self.maxParts = maxParts
    self.maxDepth = maxDepth
    self.maxHeaderBytes = maxHeaderBytes
    self.maxHeaderFields = maxHeaderFields
  }

  /// The defaults.
  public static let standard = MIMELimits()
}

/// One of the soft limits in ``MIMELimits`` (raw values are the snake_case names used in
/// configuration and logs).
public enum MIMELimit: String, Sendable, Equatable {
  /// ``MIMELimits/maxParts``.
  case parts = "max_parts"
  /// ``MIMELimits/maxDepth``.
  case depth = "max_depth"
  /// ``MIMELimits/maxHeaderBytes``.
  case headerBytes = "max_header_bytes"
  /// ``MIMELimits/maxHeaderFields``.
  case headerFields = "max_header_fields"
}

/// A defect found while parsing; the message was still parsed as far as possible.
public enum MIMEIssue: Sendable, Equatable, CustomStringConvertible {
  /// A soft limit was reached and the rest of that structure was dropped or kept opaque.
  case limitExceeded(MIMELimit)
  /// A multipart body never contained its boundary; the body was kept as one text part.
  case missingBoundary(String)
  /// A multipart body ended without its closing `--boundary--` line.
  case missingFinalBoundary(String)
  /// A multipart has no `boundary` parameter.
  case missingBoundaryParameter
  /// A header line without a colon was skipped.
  case malformedHeaderLine
  /// The header block ended at the end of input with no blank line.
  case missingBodySeparator
  /// A base64 body contained characters outside the alphabet or bad padding (skipped).
  case invalidBase64
  /// A charset name was not recognised; the text was decoded by guessing.
  case unknownCharset(String)
  /// A transfer encoding was not recognised; the body was kept as it is.
  case unknownTransferEncoding(String)

  public var description: String {
    switch self {
    case .limitExceeded(let limit): return "limit exceeded: \(limit.rawValue)"
    case .missingBoundary(let boundary): return "boundary \"\(boundary)\" never found"
    case .missingFinalBoundary(let boundary): return "no closing boundary \"\(boundary)\""
    case .missingBoundaryParameter: return "multipart without a boundary parameter"
    case .malformedHeaderLine: return "header line without a colon"
    case .missingBodySeparator: return "no blank line after the headers"
    case .invalidBase64: return "invalid base64 data skipped"
    case .unknownCharset(let name): return "unknown charset \"\(name)\""
    case .unknownTransferEncoding(let name): return "unknown transfer encoding \"\(name)\""
    }
  }
}
