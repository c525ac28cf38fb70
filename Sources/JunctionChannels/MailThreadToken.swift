/// The conversation token Junction writes into the subject of the mail it sends (`[#…]`), so a
/// reply finds its conversation even when the customer's client drops `In-Reply-To`.
///
/// Derived from the conversation id, never stored: the last ten characters of the id (the
/// random part of the ULID, 50 bits, Crockford base32 — digits and capitals), e.g.
/// `conv_01JD3Q7ZK9X4M2T8V6B0N5R1CE` → `V6B0N5R1CE`. Ids of another shape fall back to an
/// FNV-1a hash in the same alphabet.
public enum MailThreadToken {
  static let length = 10
  static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

  /// The token of conversation `conversationId` (without `[#` and `]`).
  public static func make(conversationId: String) -> String {
    let tail = conversationId.utf8.suffix(length)
    if tail.count == length, tail.allSatisfy(alphabet.contains) {
      return String(decoding: tail, as: UTF8.self)
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in conversationId.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    var out: [UInt8] = []
    for _ in 0..<length {
      out.append(alphabet[Int(hash & 31)])
      hash >>= 5
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `token` names conversation `conversationId`.
  public static func matches(_ token: String, conversationId: String) -> Bool {
    token.uppercased() == make(conversationId: conversationId)
  }
}
