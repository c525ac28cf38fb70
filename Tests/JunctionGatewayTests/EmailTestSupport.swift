import Foundation
import JunctionConfig
import JunctionCurl
import JunctionMIME
import JunctionModel
import JunctionTesting

/// A support mailbox and customers on the private Dovecot and Postfix (users 8–16 of
/// ``MailPeers`` belong to the e-mail channel's tests, one set per test), and a gateway with an
/// `email` channel polling that mailbox over IMAPS and replying through Postfix with STARTTLS
/// and SMTP AUTH.
struct EmailRig {
  static let channel = "mail"
  static let token = "inbound-mail-token-0123456789"
  let peers: MailPeers
  let support: String
  let caBundle: String

  init(support: String) async throws {
    peers = try await MailPeers.shared()
    self.support = support
    caBundle = peers.directory + "/ca-bundle.pem"
    if !FileManager.default.fileExists(atPath: caBundle) {
      let pem =
        try String(contentsOfFile: peers.caFile, encoding: .utf8)
        + String(contentsOfFile: peers.smtpCAFile, encoding: .utf8)
      try pem.write(toFile: caBundle, atomically: true, encoding: .utf8)
    }
  }

  func address(_ user: String) -> String { "\(user)@\(peers.domain)" }

  /// The `email` channel's settings.
  func settings(processedFolder: String? = nil, imapPort: Int? = nil) -> JSONObject {
    var settings: JSONObject = [
      "imap_url": .string("imaps://127.0.0.1:\(imapPort ?? peers.imapsPort)/INBOX"),
      "smtp_url": .string("smtp://127.0.0.1:\(peers.smtpPort)"),
      "username": .string(support), "password": .string(peers.password),
      "from": .string("Служба поддержки <\(address(support))>"),
      "inbound_token": .string(Self.token), "poll_interval": 0.2, "ca_file": .string(caBundle),
      "starttls": "required", "tls_verify": true, "timeout": 20.0, "batch_size": 10,
      "rate_per_second": 100.0, "max_message_bytes": .int(25 << 20),
    ]
    if let processedFolder { settings["processed_folder"] = .string(processedFolder) }
    return settings
  }

  func harness(processedFolder: String? = nil, imapPort: Int? = nil, port: Int? = nil) throws
    -> GatewayHarness
  {
    try GatewayHarness(
      channels: [
        ChannelInstanceConfig(
          id: Self.channel, adapter: "email",
          settings: ChannelSettings(settings(processedFolder: processedFolder, imapPort: imapPort)))
      ],
      configure: { config in
        if let port {
          config.listenPort = port
          config.publicURL = "http://127.0.0.1:\(port)"
        }
      })
  }

  /// Sends `message` through Postfix to `to` (a local user's mailbox).
  func deliver(_ message: [UInt8], from: String, to: String) async throws {
    let smtp = try CurlSMTP(
      configuration: CurlSMTP.Configuration(
        url: "smtp://127.0.0.1:\(peers.smtpPort)", tlsPolicy: .none, timeout: 20))
    let result = await smtp.send(from: from, recipients: [to], message: message)
    await smtp.shutdown()
    guard result.outcome == .accepted else {
      throw PeerError(description: "Postfix refused the test mail: \(result)")
    }
  }

  /// Waits for mail in `user`'s INBOX newer than `after` and returns the newest, parsed.
  func receive(_ user: String, after: UInt32 = 0) async throws -> (uid: UInt32, mail: MailMessage) {
    let session = peers.imapSession(user)
    defer { Task { await session.disconnect() } }
    let uids = try await peers.waitForMessage(session, after: after)
    let uid = uids.max() ?? 0
    let raw = try await session.fetchMessage(uid: uid, in: "INBOX")
    return (uid, try MIMEParser().parse(raw))
  }

  /// A customer's mail built the way mail clients write it.
  func customerMail(
    from user: String, name: String, subject: String, text: String,
    inReplyTo: String? = nil, references: [String] = [],
    attachments: [MailBuilder.Attachment] = [], headers: [MailHeader] = []
  ) throws -> (bytes: [UInt8], messageID: String) {
    var builder = MailBuilder(
      from: MailAddress(address(user), name: name), to: [MailAddress(address(support))],
      subject: subject)
    builder.text = text
    builder.inReplyTo = inReplyTo
    builder.references = references
    builder.attachments = attachments
    builder.extraHeaders = headers
    let built = try builder.build()
    return (built.bytes, built.messageID)
  }
}

extension GatewayHarness {
  /// Waits until the feed holds `count` events of `type` (or `timeout` passes).
  func waitFor(_ type: String, count: Int = 1, timeout: Double = 30) throws -> [JSON] {
    let events = try waitForEvents(client(), type: type, count: count, timeout: timeout)
    return events.filter { $0["type"]?.stringValue == type }
  }
}

/// A free loopback port (for a gateway whose signed links must name its own port).
func freeLoopbackPort() async throws -> Int {
  let output = try await PeerProcess.run([
    "python3", "-c",
    "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])",
  ])
  guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
    throw PeerError(description: "no free port: \(output)")
  }
  return port
}
