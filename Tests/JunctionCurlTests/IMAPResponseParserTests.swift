import JunctionCurl
import Testing

/// Transcripts captured from Dovecot 2.3.19 through libcurl 7.88's header callback.
@Suite struct IMAPResponseParserTests {
  static let selectTranscript = [
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.",
    "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN",
    "A001 OK Pre-login capabilities listed, post-login capabilities have more.",
    "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT UIDPLUS MOVE CONDSTORE",
    "A002 OK Logged in",
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
    "* 2 EXISTS",
    "* 0 RECENT",
    "* OK [UIDVALIDITY 1795522372] UIDs valid",
    "* OK [UIDNEXT 3] Predicted next UID",
    "A003 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
    "* OK [CLOSED] Previous mailbox closed.",
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "* 5 EXISTS",
    "* OK [UIDVALIDITY 1795522372] UIDs valid",
    "* OK [UIDNEXT 9] Predicted next UID",
    "A004 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
  ]

  @Test func selectStatusTakesTheLatestValues() {
    let status = IMAPResponseParser.mailboxStatus(Self.selectTranscript)
    #expect(status == IMAPMailboxStatus(uidValidity: 1_795_522_372, uidNext: 9, exists: 5))
  }

  @Test func capabilitiesAreTheLastAnnounced() {
    let capabilities = IMAPResponseParser.capabilities(Self.selectTranscript)
    #expect(capabilities?.contains("MOVE") == true)
    #expect(capabilities?.contains("UIDPLUS") == true)
    #expect(capabilities?.contains("STARTTLS") == false)
    let greeting = IMAPResponseParser.capabilities([Self.selectTranscript[0]])
    #expect(greeting?.contains("STARTTLS") == true)
    #expect(IMAPResponseParser.capabilities(["A1 OK done"]) == nil)
  }

  @Test func statusLine() {
    let lines = ["* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 1795522372)", "A005 OK Status"]
    #expect(
      IMAPResponseParser.statusResponse(lines)
        == IMAPMailboxStatus(uidValidity: 1_795_522_372, uidNext: 3, exists: 2))
    let quoted = ["* STATUS \"&BB4EMQ-\" (UIDVALIDITY 7 MESSAGES 0)"]
    #expect(
      IMAPResponseParser.statusResponse(quoted) == IMAPMailboxStatus(uidValidity: 7, exists: 0))
    #expect(IMAPResponseParser.statusResponse(["* STATUS INBOX"]) == nil)
  }

  @Test func searchNumbers() {
    #expect(IMAPResponseParser.searchResults(["* SEARCH 2", "* SEARCH 2", "A4 OK"]) == [2])
    #expect(IMAPResponseParser.searchResults(["* SEARCH", "A4 OK Search completed"]) == [])
    #expect(IMAPResponseParser.searchResults(["* SEARCH 3 10 7 x 99999999999"]) == [3, 10, 7])
  }

  @Test func listedMailboxesAreDecoded() {
    let lines = [
      "* LIST (\\HasNoChildren) \".\" INBOX",
      "* LIST (\\HasNoChildren) \".\" \"&BB4EMQRABDAEMQQ+BEIEMAQ9BD4- &- done\"",
      "* LIST (\\Noselect) NIL \"a \\\"quoted\\\" name\"",
      "* LIST (\\HasNoChildren) \".\" \"unterminated",
      "A6 OK List completed",
    ]
    #expect(
      IMAPResponseParser.listedMailboxes(lines)
        == ["INBOX", "Обработано & done", "a \"quoted\" name"])
  }

  @Test func taggedCompletionWithCode() {
    let lines = [
      "A003 NO [ALREADYEXISTS] Mailbox already exists (0.001 + 0.000 secs).", "* BYE Logging out",
      "A004 OK Logout completed",
    ]
    #expect(IMAPResponseParser.taggedCompletion(lines)?.status == "OK")
    let create = IMAPResponseParser.taggedCompletion(Array(lines.prefix(2)))
    #expect(create?.status == "NO")
    #expect(create?.code == "ALREADYEXISTS")
    #expect(IMAPResponseParser.taggedCompletion(["* OK hello", "+ idling"]) == nil)
  }

  @Test func garbageNeverCrashes() {
    let junk = [
      "", "*", "* ", "* OK [", "* OK [UIDNEXT]", "* OK [UIDNEXT x]", "* x EXISTS",
      "* LIST", "* LIST (", "* STATUS x (MESSAGES)", "A1", "]]]][[[", "* SEARCH -1 4294967296",
    ]
    for count in 0...junk.count {
      let lines = Array(junk.prefix(count))
      _ = IMAPResponseParser.mailboxStatus(lines)
      _ = IMAPResponseParser.statusResponse(lines)
      _ = IMAPResponseParser.capabilities(lines)
      _ = IMAPResponseParser.listedMailboxes(lines)
      _ = IMAPResponseParser.taggedCompletion(lines)
      #expect(IMAPResponseParser.searchResults(lines).isEmpty)
    }
    #expect(IMAPResponseParser.mailboxStatus(junk) == IMAPMailboxStatus())
  }
}
