import JunctionMIME
import JunctionModel

/// How a reply continues the customer's thread, worked out from the conversation's messages:
/// the subject to answer, `In-Reply-To`, `References` and where the customer wants answers.
struct EmailThread: Equatable {
  /// `References` longer than this keep the first id and the newest ones (RFC 5322 §3.6.4
  /// allows trimming; the first id anchors the thread in every client).
  static let maxReferences = 20

  /// The subject of the mail answered (decoded, prefixes and token still in it), if any.
  var subject: String?
  var inReplyTo: String?
  var references: [String] = []
  /// The customer's `Reply-To`, when their mail named one.
  var replyAddress: String?

  /// The thread of `messages` (oldest first), answering the customer message with provider id
  /// `answering` (else the latest customer message).
  init(messages: [Message], answering: String?) {
    let inbound = messages.filter { $0.direction == .inbound }
    let target =
      inbound.last { answering != nil && $0.providerMessageId == answering } ?? inbound.last
    subject =
      target?.details["subject"]?.stringValue
      ?? messages.last { $0.details["subject"]?.stringValue != nil }?.details["subject"]?
      .stringValue
    replyAddress = target?.details["reply_to"]?.stringValue
    var references: [String] = []
    func add(_ id: String?) {
      guard let id, Self.isMessageID(id), !references.contains(id) else { return }
      references.append(id)
    }
    for id in target?.details["references"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
      add(id)
    }
    for message in messages where message.direction == .inbound || message.status != .failed {
      add(message.providerMessageId)
    }
    if let id = target?.providerMessageId, Self.isMessageID(id) {
      inReplyTo = id
      references.removeAll { $0 == id }
      references.append(id)
    }
    if references.count > Self.maxReferences {
      references = [references[0]] + references.suffix(Self.maxReferences - 1)
    }
    self.references = references
  }

  /// Whether `id` can be written as a message id (`left@right`, no spaces or brackets); the
  /// `sha256:` ids of mail without a `Message-ID` cannot.
  static func isMessageID(_ id: String) -> Bool {
    guard let at = id.firstIndex(of: "@"), at != id.startIndex, id.index(after: at) != id.endIndex
    else { return false }
    return !id.hasPrefix("sha256:")
      && !id.utf8.contains { $0 <= 32 || $0 >= 127 || $0 == 60 || $0 == 62 || $0 == 34 }
  }
}
