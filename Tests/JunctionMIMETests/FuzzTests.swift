import Testing

@testable import JunctionMIME

@Suite("Mutation fuzzing of the corpus")
struct FuzzTests {
  static let tokens: [[UInt8]] = [
    "\r\n", "\n\n", "--", "=?utf-8?B?", "?=", "=?koi8-r?Q?=F0", "boundary=\"",
    "Content-Type: multipart/mixed; boundary=x\n",
    "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n", "=\r\n",
    "=", "\"", "(", "<", ">", ";", "*0*=utf-8''%D0", "message/rfc822", "\u{0}",
  ].map { Array($0.utf8) }

  /// A few thousand seeded mutations of corpus messages: nothing traps, limits hold, and the
  /// mail helpers survive whatever the parser returns.
  @Test func mutatedCorpusNeverCrashes() throws {
    var generator = SeededGenerator(seed: 20_241_124)
    let corpus = Corpus.allMessages.filter { !$0.isEmpty }
    try #require(!corpus.isEmpty)
    let limits = MIMELimits(maxParts: 50, maxDepth: 6, maxHeaderBytes: 4096)
    let parser = MIMEParser(limits: limits)
    for _ in 0..<3000 {
      var bytes = corpus[Int(generator.next() % UInt64(corpus.count))]
      for _ in 0...(generator.next() % 4) { mutate(&bytes, &generator) }
      let message = try parser.parse(bytes)
      #expect(message.root.allParts.count <= limits.maxParts + 1)
      _ = ReplyStripper.strip(message.text ?? "")
      _ = message.deliveryReport
      _ = message.automaticReasons
      _ = ConversationToken.find(in: message.subject ?? "")
      _ = MailSubject.stripPrefixes(message.subject ?? "")
      for attachment in message.attachments { #expect(attachment.size == attachment.data.count) }
    }
  }

  func mutate(_ bytes: inout [UInt8], _ generator: inout SeededGenerator) {
    guard !bytes.isEmpty else {
      bytes = Self.tokens[0]
      return
    }
    let position = Int(generator.next() % UInt64(bytes.count))
    switch generator.next() % 6 {
    case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
    case 1:
      let end = min(bytes.count, position + Int(generator.next() % 200))
      bytes.removeSubrange(position..<end)
    case 2:
      let end = min(bytes.count, position + Int(generator.next() % 300))
      bytes.insert(contentsOf: bytes[position..<end], at: position)
    case 3:
      bytes.insert(
        contentsOf: Self.tokens[Int(generator.next() % UInt64(Self.tokens.count))], at: position)
    case 4: bytes.removeSubrange(position...)
    default:
      let other = Int(generator.next() % UInt64(bytes.count))
      bytes.swapAt(position, other)
    }
  }
}
