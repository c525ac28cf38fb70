import Testing

@testable import JunctionMIME

@Suite("Content-Type and Content-Disposition parameters (RFC 2045, 2231)")
struct HeaderParametersTests {
  /// RFC 2231 §3 and §4, the published examples.
  @Test func rfc2231Examples() {
    let continued = HeaderParameters.parse(
      "message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n"
        + " URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"")
    #expect(continued.value == "message/external-body")
    #expect(continued["url"] == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
    #expect(continued["access-type"] == "URL")
    let extended = HeaderParameters.parse(
      "application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A")
    #expect(extended["title"] == "This is ***fun***")
    let mixed = HeaderParameters.parse(
      "application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
        + " title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"")
    #expect(mixed["title"] == "This is even more ***fun*** isn't it!")
  }

  @Test func cyrillicFilenames() {
    let utf8 = ContentDisposition.parse(
      "attachment; filename*=utf-8''%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80.pdf")
    #expect(utf8.filename == "договор.pdf" && utf8.isAttachment)
    let cp1251 = ContentDisposition.parse("attachment; filename*=windows-1251'ru'%E4%EE%EA.doc")
    #expect(cp1251.filename == "док.doc")
    let sections = ContentDisposition.parse(
      "attachment; filename*1*=%D1%80.pdf; filename*0*=UTF-8''%D0%B4%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE")
    #expect(sections.filename == "договор.pdf", "sections are joined in number order")
    let encodedWord = ContentType.parse("application/pdf; name=\"=?koi8-r?B?xM/Hz9fP0i5wZGY=?=\"")
    #expect(encodedWord.0?.name == "договор.pdf")
    let raw = ContentDisposition.parse("attachment; filename=\"договор №5.pdf\"")
    #expect(raw.filename == "договор №5.pdf")
  }

  @Test func extendedValueWinsOverPlainOne() {
    let both = ContentDisposition.parse(
      "attachment; filename=\"fallback.pdf\"; filename*=utf-8''%D1%84.pdf")
    #expect(both.filename == "ф.pdf")
  }

  @Test func quotingCommentsAndCase() {
    let parsed = HeaderParameters.parse(
      "Text/HTML (a comment); CHARSET = \"UTF-8\" ; Name=\"a \\\"quoted\\\"; name.html\"; empty=")
    #expect(parsed.value == "text/html")
    #expect(parsed["charset"] == "UTF-8")
    #expect(parsed["name"] == "a \"quoted\"; name.html")
    #expect(parsed["empty"] == "")
  }

  @Test func brokenParametersAreSkipped() {
    let parsed = HeaderParameters.parse("text/plain; ; =x; novalue; charset=koi8-r; name*0*=")
    #expect(parsed["charset"] == "koi8-r")
    #expect(parsed["novalue"] == nil)
  }

  @Test func sectionGapStopsJoining() {
    let parsed = HeaderParameters.parse("a/b; t*0=one; t*2=three")
    #expect(parsed["t"] == "one")
  }

  @Test func contentTypeDefaultsAndPredicates() {
    #expect(ContentType.parse("garbage").0 == nil)
    #expect(ContentType.parse("text/").0 == nil)
    let multipart = ContentType.parse("Multipart/Mixed; boundary=\"=_x y\"").0
    #expect(multipart?.isMultipart == true && multipart?.boundary == "=_x y")
    #expect(ContentType.parse("message/rfc822").0?.isEmbeddedMessage == true)
  }
}
