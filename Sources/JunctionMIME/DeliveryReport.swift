/// A delivery status notification (RFC 3464): `multipart/report;
/// report-type=delivery-status` with a `message/delivery-status` part, and the original
/// message (or its headers) it reports on.
public struct DeliveryReport: Sendable, Equatable {
  /// What happened for one recipient.
  public struct Recipient: Sendable, Equatable {
    /// `Final-Recipient` address (the `rfc822;` type removed).
    public var finalRecipient: String
    /// `Original-Recipient` address, when given.
    public var originalRecipient: String?
    /// Lowercased `Action`: `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    public var action: String
    /// `Status`, e.g. `5.1.1`.
    public var status: String
    /// `Diagnostic-Code` without its type (`550 5.1.1 <x@y>: user unknown`), when given.
    public var diagnosticCode: String?
    /// `Remote-MTA` without its type, when given.
    public var remoteMTA: String?

    /// Whether delivery to this recipient failed for good (action `failed`, or a 5.x.x status).
    public var isPermanentFailure: Bool { action == "failed" || status.hasPrefix("5") }
  }

  /// `Reporting-MTA` without its type.
  public var reportingMTA: String?
  /// One entry per recipient block.
  public var recipients: [Recipient]
  /// `Message-ID` of the message that could not be delivered (from the returned
  /// `message/rfc822` or `text/rfc822-headers` part), without angle brackets.
  public var originalMessageID: String?
  /// Headers of the returned message, when present.
  public var originalHeaders: MailHeaders?
  /// The human-readable explanation (first part of the report), when present.
  public var explanation: String?

  /// Whether any recipient failed for good.
  public var hasPermanentFailure: Bool { recipients.contains(where: \.isPermanentFailure) }

  /// The report in `message`, or nil when it is not a delivery status notification.
  public static func parse(_ message: MailMessage) -> DeliveryReport? {
    let root = message.root
    let reportType = root.contentType.parameters["report-type"]?.asciiLowercased()
    guard root.contentType.mimeType == "multipart/report" || reportType == "delivery-status"
    else { return nil }
    let parts = root.allParts
    guard
      let status = parts.first(where: {
        $0.contentType.type == "message"
          && ($0.contentType.subtype == "delivery-status"
            || $0.contentType.subtype == "global-delivery-status")
      })
    else { return nil }
    var blocks = statusBlocks(status.body)
    guard !blocks.isEmpty else { return nil }
    let perMessage = blocks.removeFirst()
    var report = DeliveryReport(
      reportingMTA: perMessage["Reporting-MTA"].map(dropType), recipients: [])
    for block in blocks where block.contains("Final-Recipient") || block.contains("Action") {
      report.recipients.append(
        Recipient(
          finalRecipient: (block["Final-Recipient"] ?? block["Original-Recipient"]).map(dropType)
            ?? "",
          originalRecipient: block["Original-Recipient"].map(dropType),
          action: AutomaticMail.firstToken(block["Action"] ?? ""),
          status: (block["Status"] ?? "").trimmingASCIIWhitespace()
            .prefix(while: { !$0.isWhitespace && $0 != "(" }).description,
          diagnosticCode: block["Diagnostic-Code"].map(dropType),
          remoteMTA: block["Remote-MTA"].map(dropType)))
    }
    if let returned = parts.first(where: { $0.contentType.isEmbeddedMessage }),
      let embedded = returned.children.first
    {
      report.originalHeaders = embedded.headers
    } else if let headersPart = parts.first(where: {
      $0.contentType.mimeType == "text/rfc822-headers"
    }) {
      report.originalHeaders = MIMEParser().parseHeaders(headersPart.body)
    }
    report.originalMessageID = report.originalHeaders?["Message-ID"].flatMap {
      MessageIDList.parse($0).first
    }
    if let first = root.children.first, first.contentType.isText {
      report.explanation = first.text
    }
    return report
  }

  /// The header-like blocks of a `message/delivery-status` body.
  static func statusBlocks(_ body: [UInt8]) -> [MailHeaders] {
    var blocks: [MailHeaders] = []
    var start = 0
    let limits = MIMELimits()
    while start < body.count && blocks.count < 1000 {
      while start < body.count && (body[start] == 0x0D || body[start] == 0x0A) { start += 1 }
      guard start < body.count else { break }
      let block = HeaderBlockParser.parse(body, from: start, to: body.count, limits: limits)
      let headers = block.headers(fallback: nil)
      if !headers.fields.isEmpty { blocks.append(headers) }
      guard block.bodyStart > start else { break }
      start = block.bodyStart
    }
    return blocks
  }

  /// `rfc822; a@b` → `a@b`; `smtp; 550 …` → `550 …`.
  static func dropType(_ value: String) -> String {
    guard let semicolon = value.firstIndex(of: ";") else { return value.trimmingASCIIWhitespace() }
    return String(value[value.index(after: semicolon)...]).trimmingASCIIWhitespace()
  }
}

extension MailMessage {
  /// The delivery status notification this message carries, if it is one.
  public var deliveryReport: DeliveryReport? { DeliveryReport.parse(self) }
}
