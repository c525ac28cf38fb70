/// Why JunctionMIME refused to parse or build a message.
///
/// Parsing is tolerant: malformed mail is parsed as far as possible and its defects are listed
/// in ``MailMessage/issues``; only a message over ``MIMELimits/maxMessageBytes`` is refused.
/// Building is strict: a value that would corrupt the message or inject a header is refused.
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The raw message is larger than the configured limit.
  case messageTooLarge(size: Int, limit: Int)
  /// An address given to ``MailBuilder`` is not a plain ASCII `local@domain`.
  case invalidAddress(String, reason: String)
  /// A header name or value given to ``MailBuilder`` cannot be written safely.
  case invalidHeader(name: String, reason: String)
  /// A message id given to ``MailBuilder`` is not of the form `left@right`.
  case invalidMessageID(String)

  public var description: String {
    switch self {
    case .messageTooLarge(let size, let limit):
      return "message of \(size) bytes exceeds the limit of \(limit) bytes"
    case .invalidAddress(let address, let reason):
      return "invalid address \"\(address)\": \(reason)"
    case .invalidHeader(let name, let reason):
      return "invalid header \(name): \(reason)"
    case .invalidMessageID(let id):
      return "invalid message id \"\(id)\""
    }
  }
}
