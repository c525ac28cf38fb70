/// The envelope fields of a stored event, read without parsing its data: what feeds,
/// streams and deliveries filter on.
public struct EventHeader: Sendable, Equatable {
  public var id: String
  public var type: String
  public var conversationId: String?

  public init(id: String, type: String, conversationId: String?) {
    self.id = id
    self.type = type
    self.conversationId = conversationId
  }

  /// Reads the header of bytes written by ``Event/storedBytes()`` (members `id`, `type`,
  /// `at`, `conversation_id` first, in that order, compact); anything else is parsed in full.
  /// nil when the bytes are not an event.
  public init?(storedBytes bytes: [UInt8]) {
    if let fast = bytes.withUnsafeBufferPointer({ Self.scan($0) }) {
      self = fast
      return
    }
    guard let event = try? Event(storedBytes: bytes, offset: 0) else { return nil }
    self.init(id: event.id, type: event.type, conversationId: event.conversationId)
  }

  private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> EventHeader? {
    var position = 0
    func expect(_ literal: StaticString) -> Bool {
      let count = literal.utf8CodeUnitCount
      guard position + count <= bytes.count else { return false }
      let start = literal.utf8Start
      for index in 0..<count where bytes[position + index] != start[index] { return false }
      position += count
      return true
    }
    func plainString() -> String? {
      let start = position
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\\") { return nil }
        if byte == UInt8(ascii: "\"") {
          defer { position += 1 }
          return String(
            decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }
        position += 1
      }
      return nil
    }
    guard expect(#"{"id":""#), let id = plainString(), expect(#","type":""#),
      let type = plainString(), expect(#","at":""#), plainString() != nil,
      expect(#","conversation_id":"#)
    else { return nil }
    if expect("null") { return EventHeader(id: id, type: type, conversationId: nil) }
    guard expect(#"""#), let conversation = plainString() else { return nil }
    return EventHeader(id: id, type: type, conversationId: conversation)
  }
}
