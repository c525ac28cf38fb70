import JunctionCurl
import Testing

@Suite struct CurlValueTests {
  @Test func headersLookUpIgnoringCaseAndKeepRepeats() {
    let headers = CurlHeaders([
      (name: "Content-Type", value: "text/plain"), (name: "Set-Cookie", value: "a=1"),
      (name: "set-cookie", value: "b=2"), (name: "Retry-After", value: "7"),
    ])
    #expect(headers["content-type"] == "text/plain")
    #expect(headers["RETRY-AFTER"] == "7")
    #expect(headers["missing"] == nil)
    #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
    #expect(
      headers.merged() == [
        "Content-Type": "text/plain", "Set-Cookie": "a=1, b=2", "Retry-After": "7",
      ])
    #expect(headers.count == 4)
  }

  @Test(arguments: [
    ("https://user:pass@api.example.com/v1?x=1", "https://api.example.com/v1?x=1"),
    ("imaps://me%40corp:secret@mail.example.com:993/INBOX", "imaps://mail.example.com:993/INBOX"),
    ("http://example.com/a@b", "http://example.com/a@b"),
    ("smtp://mail.example.com", "smtp://mail.example.com"),
    ("not a url", "not a url"),
  ])
  func redactsCredentialsFromURLs(url: String, expected: String) {
    #expect(CurlURL.redacted(url) == expected)
  }

  @Test func errorKindsFollowCurlCodes() {
    #expect(CurlError(code: 28, message: "").isTimeout)
    #expect(CurlError(code: 7, message: "").kind == .connectionFailed)
    #expect(CurlError(code: 6, message: "").isConnectionFailure)
    #expect(CurlError(code: 52, message: "").kind == .connectionLost)
    #expect(CurlError(code: 60, message: "").kind == .tls)
    #expect(CurlError(code: 67, message: "").kind == .loginDenied)
    #expect(CurlError(code: 63, message: "").kind == .responseTooLarge)
    #expect(CurlError(code: 3, message: "").kind == .invalidRequest)
    #expect(!CurlError(code: 3, message: "").isTransient)
    #expect(CurlError(code: 9999, message: "").kind == .other)
  }

  @Test func credentialsNeverPrintThePassword() {
    let credentials = CurlCredentials(user: "bot", password: "hunter2")
    #expect(!"\(credentials)".contains("hunter2"))
  }
}
