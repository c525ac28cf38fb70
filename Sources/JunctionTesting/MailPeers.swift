import Foundation
import JunctionCurl

/// A private Dovecot (IMAP, IMAPS, a dozen users) and Postfix (SMTP for `junction.test`,
/// delivering into Dovecot's Maildirs, SMTP AUTH through Dovecot, STARTTLS) started once per
/// test process by `scripts/peers/*.sh`; their watchdog stops them when the process exits.
/// Each test uses its own user so tests never see each other's mail.
public struct MailPeers: Sendable {
  public let imapPort: Int
  public let imapsPort: Int
  public let smtpPort: Int
  public let password: String
  public let caFile: String
  public let smtpCAFile: String
  public let domain: String
  public let directory: String

  /// The users tests may take, one each: `user1`–`user7` belong to JunctionCurl's tests,
  /// `user8`–`user16` to the e-mail channel's.
  public static let users = (1...16).map { "user\($0)" }

  private static let starter = Starter()

  /// Starts the peers once per process.
  private actor Starter {
    private var started: Task<MailPeers, any Error>?

    func peers() async throws -> MailPeers {
      if let started { return try await started.value }
      let task = Task { try await MailPeers.start() }
      started = task
      return try await task.value
    }
  }

  /// The shared peers; throws (failing the test) when Dovecot or Postfix is not installed.
  public static func shared() async throws -> MailPeers { try await starter.peers() }

  private static func start() async throws -> MailPeers {
    let directory = try PeerProcess.temporaryDirectory("junction-mail")
    let owner = String(ProcessInfo.processInfo.processIdentifier)
    let dovecot = try await PeerProcess.peer(
      "dovecot", "start", directory + "/dovecot",
      environment: [
        "IMAP_USERS": users.joined(separator: " "), "MAIL_ROOT": directory + "/mail",
        "OWNER_PID": owner,
      ])
    guard let imapPort = dovecot["IMAP_PORT"].flatMap(Int.init),
      let imapsPort = dovecot["IMAPS_PORT"].flatMap(Int.init),
      let password = dovecot["IMAP_PASSWORD"], let caFile = dovecot["CA_FILE"],
      let authSocket = dovecot["AUTH_SOCKET"]
    else { throw PeerError(description: "dovecot.sh start printed \(dovecot)") }
    let postfix = try await PeerProcess.peer(
      "postfix", "start", directory + "/postfix",
      environment: [
        "SMTP_USERS": (["test"] + users).joined(separator: " "),
        "MAIL_ROOT": directory + "/mail", "AUTH_SOCKET": authSocket, "OWNER_PID": owner,
      ])
    guard let smtpPort = postfix["SMTP_PORT"].flatMap(Int.init),
      let domain = postfix["SMTP_DOMAIN"], let smtpCAFile = postfix["CA_FILE"]
    else { throw PeerError(description: "postfix.sh start printed \(postfix)") }
    return MailPeers(
      imapPort: imapPort, imapsPort: imapsPort, smtpPort: smtpPort, password: password,
      caFile: caFile, smtpCAFile: smtpCAFile, domain: domain, directory: directory)
  }

  /// A plain-text IMAP session for `user` (loopback, no STARTTLS).
  public func imapSession(_ user: String, useMove: Bool = true) -> CurlIMAPSession {
    CurlIMAPSession(
      configuration: CurlIMAPSession.Configuration(
        url: "imap://127.0.0.1:\(imapPort)",
        credentials: CurlCredentials(user: user, password: password),
        tlsPolicy: .none, timeout: 20, useMove: useMove))
  }

  /// Waits (up to 30 s) until `mailbox` of `session` holds a message newer than `after`.
  public func waitForMessage(
    _ session: CurlIMAPSession, in mailbox: String = "INBOX", after: UInt32 = 0
  )
    async throws -> [UInt32]
  {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      let found = try await session.searchUIDs(in: mailbox, after: after)
      if !found.isEmpty { return found }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw PeerError(description: "no message arrived in \(mailbox) within 30 s")
  }
}

/// A small RFC 5322 message with CRLF line ends.
public func testMessage(subject: String, body: String, to: String = "user@junction.test") -> [UInt8]
{
  let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
  let text = [
    "From: Junction Test <sender@junction.test>", "To: \(to)", "Subject: \(encodedSubject)",
    "Message-ID: <\(UUID().uuidString)@junction.test>", "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", body, "",
  ].joined(separator: "\r\n")
  return Array(text.utf8)
}
