import JunctionCurl
import Testing

@Suite struct IMAPMailboxNameTests {
  /// RFC 3501 §5.1.3's example, and names a Russian support desk uses.
  @Test(arguments: [
    ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
    ("INBOX", "INBOX"),
    ("A&B", "A&-B"),
    ("&", "&-"),
    ("Обработано", "&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-"),
    ("Входящие/Спам", "&BBIERQQ+BDQETwRJBDgENQ-/&BCEEPwQwBDw-"),
    ("smile 😀", "smile &2D3eAA-"),
    ("", ""),
  ])
  func encodesAndDecodes(name: String, encoded: String) {
    #expect(IMAPMailboxName.encode(name) == encoded)
    #expect(IMAPMailboxName.decode(encoded) == name)
  }

  @Test func roundTripsArbitraryText() {
    let samples = ["Ä", "a-b_c.d", "Ёжик & co", "\u{7F}x", "tab\there", "混合 mixed Русский 123"]
    for sample in samples {
      let encoded = IMAPMailboxName.encode(sample)
      #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
      #expect(IMAPMailboxName.decode(encoded) == sample)
    }
  }

  @Test(arguments: [
    "&", "&BB4", "&BB4EMQ", "&AGE-", "&2D3-", "&!!-", "caf\u{E9}", "&BB4EMQRABDAEMQQ+BEIEMAQ9BD5-",
  ])
  func rejectsMalformedForms(encoded: String) {
    #expect(IMAPMailboxName.decode(encoded) == nil)
  }

  @Test func quotesAndPercentEncodes() {
    #expect(IMAPMailboxName.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
    #expect(IMAPMailboxName.quoted("Обработано") == "\"&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-\"")
    #expect(IMAPMailboxName.urlPath("INBOX") == "INBOX")
    #expect(IMAPMailboxName.urlPath("My Box;UID=1") == "My%20Box%3BUID%3D1")
    #expect(IMAPMailboxName.urlPath("Обработано") == "%26BB4EMQRABDAEMQQ%2BBEIEMAQ9BD4-")
  }
}
