/// What became of one SMTP submission, classified for the outbox: accepted, worth retrying,
/// or rejected for good.
public struct CurlSMTPResult: Sendable, Equatable {
  /// The three outcomes delivery acts on.
  public enum Outcome: String, Sendable, Equatable {
    /// The server took responsibility for the message (2xx after DATA).
    case accepted
    /// A 4xx reply, a timeout or connection trouble: try again later.
    case temporaryFailure
    /// A 5xx reply (or a request that can never succeed): fail the message.
    case permanentFailure
  }

  /// The classification.
  public var outcome: Outcome
  /// The deciding SMTP reply code: the final 250 when accepted, the first 4xx/5xx reply when
  /// refused; nil when the server never answered.
  public var replyCode: Int?
  /// The deciding reply's text (all lines of a multi-line reply, joined by spaces), or what
  /// went wrong when there was no reply.
  public var replyText: String
  /// libcurl's error when the transfer failed.
  public var error: CurlError?

  /// Makes a result.
  public init(outcome: Outcome, replyCode: Int?, replyText: String, error: CurlError? = nil) {
    self.outcome = outcome
    self.replyCode = replyCode
    self.replyText = replyText
    self.error = error
  }

  /// Classifies a finished transfer from the server's reply lines (every line libcurl read,
  /// in order) and libcurl's error, if any.
  public static func classify(replies lines: [String], error: CurlError?) -> CurlSMTPResult {
    let replies = SMTPReply.group(lines)
    guard let error else {
      let last = replies.last { $0.code == 250 } ?? replies.last { (200..<300).contains($0.code) }
      return CurlSMTPResult(
        outcome: .accepted, replyCode: last?.code ?? 250, replyText: last?.text ?? "")
    }
    if let refusal = replies.first(where: { $0.code >= 400 }) {
      let outcome: Outcome = refusal.code >= 500 ? .permanentFailure : .temporaryFailure
      return CurlSMTPResult(
        outcome: outcome, replyCode: refusal.code, replyText: refusal.text, error: error)
    }
    let permanent =
      error.kind == .invalidRequest || error.kind == .loginDenied
      || error.kind == .responseTooLarge
    return CurlSMTPResult(
      outcome: permanent ? .permanentFailure : .temporaryFailure, replyCode: nil,
      replyText: error.message, error: error)
  }
}

/// One SMTP reply: a code and its lines' text (`250-first`, `250 last`).
struct SMTPReply: Equatable {
  var code: Int
  var text: String

  /// Groups server lines into replies; lines that are not `NNN text` or `NNN-text` are skipped.
  static func group(_ lines: [String]) -> [SMTPReply] {
    var replies: [SMTPReply] = []
    var pending: SMTPReply?
    for line in lines {
      let bytes = Array(line.utf8)
      guard bytes.count >= 3, bytes[0..<3].allSatisfy({ $0 >= 48 && $0 <= 57 }),
        bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-"),
        let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
      else { continue }
      let text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
      if var current = pending, current.code == code {
        current.text += " " + text
        pending = current
      } else {
        if let current = pending { replies.append(current) }
        pending = SMTPReply(code: code, text: text)
      }
      if bytes.count == 3 || bytes[3] == UInt8(ascii: " "), let current = pending {
        replies.append(current)
        pending = nil
      }
    }
    if let current = pending { replies.append(current) }
    return replies
  }
}
