import Testing

@testable import JunctionMIME

@Suite("Malformed and hostile input")
struct MalformedInputTests {
  @Test func everyPrefixOfAMessageParses() throws {
    for name in ["nested_multipart", "dsn_postfix_failed", "rfc2231_long_cyrillic_filename"] {
      let bytes = Corpus.message(name)
      var length = 0
      while length <= bytes.count {
        let message = try MIMEParser().parse(Array(bytes[..<length]))
        #expect(message.size == length)
        length += length < 400 ? 1 : 7
      }
    }
  }

  @Test func badBase64IsDecodedAsFarAsPossible() throws {
    let message = try MIMEParser().parse(
      Array(
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBE**Ri0x\n!\n".utf8))
    #expect(message.attachments.first?.data == Array("%PDF-1".utf8))
    #expect(message.issues.contains(.invalidBase64))
  }

  @Test func binaryGarbage() throws {
    var generator = SeededGenerator(seed: 99)
    for size in [1, 10, 1000, 65_536] {
      let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      _ = try MIMEParser().parse(bytes)
    }
    _ = try MIMEParser().parse([UInt8](repeating: 0, count: 10_000))
    _ = try MIMEParser().parse([UInt8](repeating: 0x0A, count: 10_000))
  }

  @Test func deepNestingStopsAtTheDepthLimit() throws {
    var text = ""
    for level in 0..<5000 {
      text += "Content-Type: multipart/mixed; boundary=\"l\(level)\"\n\n--l\(level)\n"
    }
    text += "\ninnermost\n"
    let message = try MIMEParser().parse(Array(text.utf8))
    #expect(message.issues.contains(.limitExceeded(.depth)))
    var depth = 0
    var part = message.root
    while let child = part.children.first {
      depth += 1
      part = child
    }
    #expect(depth == MIMELimits.standard.maxDepth)
  }

  @Test func nestedMessagesStopAtTheDepthLimit() throws {
    let text = String(repeating: "Content-Type: message/rfc822\n\n", count: 3000) + "end\n"
    let message = try MIMEParser(limits: MIMELimits(maxDepth: 8)).parse(Array(text.utf8))
    #expect(message.issues.contains(.limitExceeded(.depth)))
  }

  @Test func partCountIsBounded() throws {
    var text = "Content-Type: multipart/mixed; boundary=p\n\n"
    for index in 0..<5000 { text += "--p\nContent-Type: application/x-\(index)\n\n\(index)\n" }
    text += "--p--\n"
    let message = try MIMEParser(limits: MIMELimits(maxParts: 100)).parse(Array(text.utf8))
    #expect(message.root.allParts.count == 100)
    #expect(message.issues.contains(.limitExceeded(.parts)))
  }

  @Test func enormousHeadersAreCut() throws {
    let subject = "Subject: " + String(repeating: "x", count: 2_000_000) + "\nFrom: a@b.c\n\nbody"
    let message = try MIMEParser().parse(Array(subject.utf8))
    #expect(message.issues.contains(.limitExceeded(.headerBytes)))
    #expect(message.from.isEmpty, "fields after the limit are dropped")
    #expect(message.text == "body")
    let many = String(repeating: "X-A: 1\n", count: 5000) + "\nbody"
    let manyMessage = try MIMEParser().parse(Array(many.utf8))
    #expect(manyMessage.headers.count == MIMELimits.standard.maxHeaderFields)
    #expect(manyMessage.issues.contains(.limitExceeded(.headerFields)))
  }

  @Test func oversizedMessageIsRefusedWithItsSize() {
    let parser = MIMEParser(limits: MIMELimits(maxMessageBytes: 100))
    #expect(throws: MIMEError.messageTooLarge(size: 101, limit: 100)) {
      try parser.parse([UInt8](repeating: 0x41, count: 101))
    }
    let headers = parser.parseHeaders(
      Array("Subject: big\n\n".utf8) + [UInt8](repeating: 0x41, count: 500))
    #expect(headers["subject"] == "big")
  }

  @Test func hostileHeaderValues() throws {
    let values = [
      String(repeating: "(", count: 100_000), String(repeating: "\"", count: 100_001),
      String(repeating: "<", count: 100_000), String(repeating: "=?", count: 100_000),
      String(repeating: "a@", count: 100_000), String(repeating: "; x*1*=%", count: 20_000),
    ]
    for value in values {
      let text =
        "From: \(value)\nTo: \(value)\nSubject: \(value)\nMessage-ID: \(value)\n"
        + "Content-Type: text/plain; name=\(value)\nDate: \(value)\n\nx"
      let message = try MIMEParser().parse(Array(text.utf8))
      _ = message.automaticReasons
    }
  }

  @Test func hostileHTML() {
    for html in [
      String(repeating: "<a", count: 100_000), String(repeating: "<a href=\"", count: 50_000),
      String(repeating: "&#", count: 100_000), String(repeating: "<!--", count: 50_000),
      String(repeating: "<script>", count: 50_000),
    ] {
      _ = HTMLText.plainText(fromHTML: html)
    }
  }
}
