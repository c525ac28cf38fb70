import Foundation
import JunctionChannels
import JunctionConfig
import JunctionMIME

/// An `email` channel's settings (`channels.json` `settings`), checked.
public struct EmailSettings: Sendable, Equatable {
  /// Every setting, as the manifest declares it (documented in the adapter's README).
  static let specs: [SettingSpec] = [
    SettingSpec(
      "imap_url", .url(schemes: ["imap", "imaps"]),
      summary:
        "mailbox to poll, `imaps://host[:993]/INBOX` or `imap://host:143/INBOX` (STARTTLS); none: HTTP intake only"
    ),
    SettingSpec(
      "smtp_url", .url(schemes: ["smtp", "smtps"]),
      summary:
        "submission server, `smtp://host:587` (STARTTLS) or `smtps://host:465`; none: no replies"),
    SettingSpec("username", .string, summary: "IMAP login (and SMTP login unless `smtp_username`)"),
    SettingSpec("password", .secret, summary: "IMAP password, e.g. `${MAIL_PASSWORD}`"),
    SettingSpec("smtp_username", .string, summary: "SMTP login when it differs from `username`"),
    SettingSpec("smtp_password", .secret, summary: "SMTP password when it differs from `password`"),
    SettingSpec(
      "from", .string, required: true,
      summary: "sender of replies: `support@example.com` or `Support <support@example.com>`"),
    SettingSpec(
      "reply_to", .string, summary: "`Reply-To` of replies (default: the `from` address)"),
    SettingSpec(
      "inbound_token", .secret,
      summary: "bearer secret for raw MIME posted to `/v1/inbound/{channel}`; none: HTTP intake off"
    ),
    SettingSpec("poll_interval", .duration, default: 60, summary: "seconds between IMAP polls"),
    SettingSpec(
      "processed_folder", .string,
      summary: "move journaled mail there (created if missing); none: mark it `\\Seen` and leave it"
    ),
    SettingSpec(
      "starttls", .choice(MailServer.StartTLS.allCases.map(\.rawValue)), default: "required",
      summary: "STARTTLS on `imap://`/`smtp://`: `required`, `opportunistic` or `none`"),
    SettingSpec("tls_verify", .boolean, default: true, summary: "verify server certificates"),
    SettingSpec(
      "ca_file", .string, summary: "PEM bundle of trusted CAs instead of the system store"),
    SettingSpec(
      "max_message_bytes", .integer(1024...(200 << 20)), default: .int(25 << 20),
      summary: "largest raw message taken in (bigger mail is left in the mailbox / refused 413)"),
    SettingSpec(
      "batch_size", .integer(1...100), default: 10, summary: "messages journaled per IMAP batch"),
    SettingSpec(
      "timeout", .duration, default: 60, summary: "seconds for one IMAP command or SMTP submission"),
    SettingSpec("rate_per_second", .number, default: 5, summary: "SMTP submissions per second"),
  ]

  /// The address replies come from (with its display name).
  public var from: MailAddress
  /// `Reply-To` of replies.
  public var replyTo: MailAddress
  /// The bearer secret of the raw-mail endpoint; nil: HTTP intake refused.
  public var inboundToken: String?
  /// The mailbox to poll; nil without `imap_url`.
  public var mailbox: MailboxSettings?
  /// The submission server; nil without `smtp_url` (no replies).
  public var smtp: MailServer?
  /// The largest raw message taken in.
  public var maxMessageBytes: Int

  /// Reads validated settings; throws for values specs cannot check (an unusable `from`).
  public init(_ settings: ChannelSettings) throws(ChannelError) {
    guard let from = MailAddress.parse(settings.string("from") ?? ""), from.address.contains("@")
    else {
      throw .invalidSetting(name: "from", reason: "expected an address like support@example.com")
    }
    self.from = from
    if let text = settings.string("reply_to") {
      guard let address = MailAddress.parse(text), address.address.contains("@") else {
        throw .invalidSetting(name: "reply_to", reason: "expected an address")
      }
      replyTo = address
    } else {
      replyTo = MailAddress(from.address)
    }
    inboundToken = settings.string("inbound_token")
    maxMessageBytes = settings.int("max_message_bytes") ?? 25 << 20
    let startTLS = MailServer.StartTLS(rawValue: settings.string("starttls") ?? "") ?? .required
    let timeout = settings.double("timeout") ?? 60
    func server(_ url: String, user: String?, password: String?) -> MailServer {
      MailServer(
        url: url, username: user, password: password, startTLS: startTLS,
        verifyPeer: settings.bool("tls_verify") ?? true, caFile: settings.string("ca_file"),
        timeout: timeout)
    }
    if let imap = settings.string("imap_url") {
      let (base, name) = try Self.splitMailboxURL(imap)
      mailbox = MailboxSettings(
        server: server(
          base, user: settings.string("username"), password: settings.string("password")),
        mailbox: name, processedFolder: settings.string("processed_folder"),
        pollInterval: max(0.1, settings.double("poll_interval") ?? 60),
        batchSize: settings.int("batch_size") ?? 10)
    }
    if let url = settings.string("smtp_url") {
      smtp = server(
        url, user: settings.string("smtp_username") ?? settings.string("username"),
        password: settings.string("smtp_password") ?? settings.string("password"))
    }
  }

  /// `imaps://host:993/Support%20Mail` → (`imaps://host:993`, `Support Mail`); no path: INBOX.
  static func splitMailboxURL(_ url: String) throws(ChannelError) -> (String, String) {
    guard let scheme = url.range(of: "://") else {
      throw .invalidSetting(name: "imap_url", reason: "expected imap:// or imaps://")
    }
    let rest = url[scheme.upperBound...]
    guard let slash = rest.firstIndex(of: "/") else { return (url, "INBOX") }
    let base = String(url[..<slash])
    var path = String(rest[rest.index(after: slash)...])
    if let semicolon = path.firstIndex(of: ";") { path = String(path[..<semicolon]) }
    let name = path.removingPercentEncoding ?? path
    guard !rest[..<slash].isEmpty else {
      throw .invalidSetting(name: "imap_url", reason: "no host")
    }
    return (base, name.isEmpty ? "INBOX" : name)
  }
}
