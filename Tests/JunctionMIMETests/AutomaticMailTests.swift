import Testing

@testable import JunctionMIME

@Suite("Automatic mail and delivery reports")
struct AutomaticMailTests {
  func headers(_ text: String) -> MailHeaders { MIMEParser().parseHeaders(Array(text.utf8)) }

  @Test func reasons() {
    #expect(
      AutomaticMail.reasons(headers("Auto-Submitted: auto-generated\n")) == [
        .autoSubmitted("auto-generated")
      ])
    #expect(AutomaticMail.reasons(headers("Auto-Submitted: No (person)\n")).isEmpty)
    #expect(AutomaticMail.reasons(headers("Precedence: junk\n")) == [.precedence("junk")])
    #expect(AutomaticMail.reasons(headers("Precedence: first-class\n")).isEmpty)
    #expect(AutomaticMail.reasons(headers("X-Auto-Response-Suppress: DR, RN\n")).isEmpty)
    #expect(
      AutomaticMail.reasons(headers("X-Auto-Response-Suppress: OOF\n")) == [
        .autoReplyHeader("X-Auto-Response-Suppress")
      ])
    #expect(AutomaticMail.reasons(headers("Return-Path: < >\n")) == [.nullReturnPath])
    #expect(AutomaticMail.reasons(headers("Return-Path: <a@b.c>\n")).isEmpty)
    #expect(
      AutomaticMail.reasons(headers("From: mailer-daemon@x.org\n")) == [
        .mailerDaemon("mailer-daemon@x.org")
      ])
    #expect(AutomaticMail.reasons(headers("From: ivan@x.org\nSubject: hi\n")).isEmpty)
    #expect(AutomaticMail.isAutomatic(headers("List-Unsubscribe: <mailto:x@y>\n")))
  }

  @Test func deliveryStatusNotification() throws {
    let text = """
      From: MAILER-DAEMON@mx.test
      Content-Type: multipart/report; report-type=delivery-status; boundary=r

      --r
      Content-Type: text/plain

      Delivery failed.
      --r
      Content-Type: message/delivery-status

      Reporting-MTA: dns; mx.test
      Arrival-Date: Mon, 1 Apr 2024 10:00:00 +0000

      Final-Recipient: rfc822; gone@x.test
      Action: Failed
      Status: 5.1.1 (user unknown)
      Diagnostic-Code: smtp; 550 5.1.1 User
        unknown

      Original-Recipient: rfc822; slow@y.test
      Action: delayed
      Status: 4.4.7

      --r
      Content-Type: text/rfc822-headers

      Message-ID: <out-1@support.test>
      Subject: hi
      --r--
      """
    let report = try #require(try MIMEParser().parse(Array(text.utf8)).deliveryReport)
    #expect(report.reportingMTA == "mx.test")
    #expect(report.recipients.count == 2)
    #expect(report.recipients[0].finalRecipient == "gone@x.test")
    #expect(report.recipients[0].action == "failed" && report.recipients[0].status == "5.1.1")
    #expect(report.recipients[0].diagnosticCode == "550 5.1.1 User  unknown")
    #expect(report.recipients[0].isPermanentFailure && !report.recipients[1].isPermanentFailure)
    #expect(report.recipients[1].finalRecipient == "slow@y.test")
    #expect(report.originalMessageID == "out-1@support.test")
    #expect(report.explanation == "Delivery failed.")
    #expect(report.hasPermanentFailure)
  }

  @Test func ordinaryMailIsNoReport() throws {
    let message = try MIMEParser().parse(
      Array("Content-Type: multipart/report; boundary=r\n\n--r\n\nx\n--r--\n".utf8))
    #expect(message.deliveryReport == nil)
    #expect(message.isAutomatic, "multipart/report is still machine mail")
  }
}
