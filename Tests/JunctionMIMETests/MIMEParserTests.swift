import Testing

@testable import JunctionMIME

@Suite("MIME structure")
struct MIMEParserTests {
  func parse(_ text: String, limits: MIMELimits = .standard) throws -> MailMessage {
    try MIMEParser(limits: limits).parse(Array(text.utf8))
  }

  @Test func headerUnfoldingLookupAndRepeats() throws {
    let message = try parse(
      "Subject: a long\r\n\tfolded  subject\r\nreceived: one\r\nRECEIVED: two\r\nX-Empty:\r\n"
        + "Comments : spaced name\r\n\r\nbody")
    #expect(message.subject == "a long\tfolded  subject")
    #expect(message.headers.values("Received") == ["one", "two"])
    #expect(message.headers["x-empty"] == "")
    #expect(message.headers["comments"] == "spaced name")
    #expect(message.text == "body")
  }

  @Test func mboxLineAndLFOnlyInput() throws {
    let message = try parse("From MAILER-DAEMON Mon Apr 1 10:00:00 2024\nSubject: hi\n\nline\n")
    #expect(message.subject == "hi" && message.text == "line\n")
  }

  @Test func nonHeaderLineStartsTheBody() throws {
    let message = try parse("Subject: hi\nthis is body\nmore\n")
    #expect(message.subject == "hi")
    #expect(message.text == "this is body\nmore\n")
    #expect(message.issues.contains(.missingBodySeparator))
  }

  @Test func boundaryRules() throws {
    let message = try parse(
      """
      Content-Type: multipart/mixed; boundary=b

      preamble
      --bb not a delimiter
      --b\t 
      Content-Type: text/plain

      one
      --bb still text
      --b
      Content-Type: text/html

      <p>two</p>
      --b--  
      epilogue
      --b
      ignored
      """)
    #expect(message.root.children.count == 2)
    #expect(message.text == "one\n--bb still text")
    #expect(message.html == "<p>two</p>")
    #expect(message.issues.isEmpty)
  }

  @Test func missingFinalBoundaryKeepsTheLastPart() throws {
    let message = try parse(
      "Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n\nfirst\n--x\nContent-Type: image/png\n"
        + "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n")
    #expect(message.text == "first")
    #expect(message.attachments.first?.data == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(message.issues == [.missingFinalBoundary("x")])
  }

  @Test func boundaryNeverFoundKeepsBodyAsText() throws {
    let message = try parse("Content-Type: multipart/mixed; boundary=zzz\n\njust text\n")
    #expect(message.text == "just text\n")
    #expect(message.issues == [.missingBoundary("zzz")])
  }

  @Test func missingBoundaryParameterIsGuessed() throws {
    let message = try parse("Content-Type: multipart/alternative\n\n--q1\n\nplain\n--q1--\n")
    #expect(message.text == "plain")
    #expect(message.issues == [.missingBoundaryParameter])
  }

  @Test func digestPartsDefaultToMessages() throws {
    let message = try parse(
      "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nhello\n--d--\n")
    let part = try #require(message.root.children.first)
    #expect(part.contentType.mimeType == "message/rfc822")
    #expect(part.embeddedMessage?.subject == "inner")
    #expect(part.embeddedMessage?.text == "hello")
  }

  @Test func embeddedMessageIsAnAttachmentNotTheBody() throws {
    let message = try parse(
      "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: message/rfc822\n\n"
        + "Subject: inner\nContent-Type: text/plain\n\ninner text\n--m--\n")
    #expect(message.text == nil)
    #expect(message.attachments.map(\.contentType) == ["message/rfc822"])
    #expect(
      message.attachments.first?.data
        == Array("Subject: inner\nContent-Type: text/plain\n\ninner text".utf8))
  }

  @Test func relatedStartParameterChoosesTheRoot() throws {
    let message = try parse(
      """
      Content-Type: multipart/related; boundary=r; start="<root@x>"

      --r
      Content-Type: image/gif
      Content-ID: <img@x>

      GIF
      --r
      Content-Type: text/html
      Content-ID: <root@x>

      <img src="cid:img@x">
      --r--
      """)
    #expect(message.html == "<img src=\"cid:img@x\">")
    #expect(message.attachments.map(\.contentID) == ["img@x"])
    #expect(message.attachments.first?.isInline == true)
  }

  @Test func attachmentDispositionIsNeverTheBody() throws {
    let message = try parse(
      "Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: text/plain\n"
        + "Content-Disposition: attachment; filename=notes.txt\n\nnot body\n--a\n"
        + "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n"
        + "=F0=D2=C9=D7=C5=D4\n--a--\n")
    #expect(message.text == "Привет")
    #expect(message.attachments.map(\.filename) == ["notes.txt"])
  }

  @Test func transferEncodingOnAMultipartIsIgnored() throws {
    let message = try parse(
      "Content-Type: multipart/mixed; boundary=a\nContent-Transfer-Encoding: base64\n\n--a\n\nok\n--a--\n"
    )
    #expect(message.text == "ok")
  }

  @Test func unknownTransferEncodingAndCharsetAreReported() throws {
    let message = try parse(
      "Content-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: x-uuencode\n\n"
        + "\u{041F}\n")
    #expect(message.text == "П\n")
    #expect(message.issues.contains(.unknownTransferEncoding("x-uuencode")))
    #expect(message.issues.contains(.unknownCharset("x-klingon")))
  }

  @Test func modelAttachment() throws {
    let message = try parse(
      "Content-Type: multipart/mixed; boundary=a\n\n--a\n\nhi\n--a\nContent-Type: image/jpeg\n"
        + "Content-ID: <p@x>\n\nJPEG\n--a--\n")
    let model = try #require(message.attachments.first).modelAttachment
    #expect(model.kind == "image" && model.size == 4 && model.contentType == "image/jpeg")
    #expect(model.details["content_id"] == .string("p@x"))
  }
}

@Suite("format=flowed (RFC 3676)")
struct FlowedTextTests {
  @Test func paragraphsQuotesAndSignature() throws {
    let body =
      "This is a long \r\nparagraph.\r\n\r\n> quoted soft \r\n> line\r\n>> deeper\r\n"
      + " >stuffed\r\n-- \r\nIvan\r\n"
    let message = try MIMEParser().parse(
      Array(("Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n" + body).utf8))
    #expect(
      message.text
        == "This is a long paragraph.\n\n> quoted soft line\n>> deeper\n>stuffed\n-- \nIvan\n")
    #expect(ReplyStripper.strip(message.text ?? "").text == "This is a long paragraph.")
  }

  @Test func delSpRemovesTheSoftSpace() {
    #expect(FlowedText.unflow("Lange \nZeile\n", delSp: true) == "LangeZeile\n")
    #expect(FlowedText.unflow("Lange \nZeile\n", delSp: false) == "Lange Zeile\n")
  }
}
