import JunctionChannels
import JunctionDigest
import JunctionMIME
import JunctionModel

extension EmailAdapter {
  /// Parses one raw message into a customer message (or a bounce's delivery status).
  ///
  /// - Dedupe id: `Message-ID`, else `sha256:<hex of the raw bytes>`.
  /// - Sender: the first `From` (else `Sender`) address, lowercased, as the contact's email
  ///   identity, with its decoded display name. No sender: nothing is kept.
  /// - Text: the plain text (or text derived from HTML) without quoted history and signature;
  ///   `details.subject` the decoded subject.
  /// - Files: every attachment and inline image, then the whole original as `message.eml`
  ///   (`message/rfc822`, `details.original`). Automatic mail keeps only the original.
  /// - Threading: `references` = `References` + `In-Reply-To`; the subject's `[#TOKEN]`.
  /// - A delivery status notification with a permanent failure becomes a `.failed` status for
  ///   the outbound message it returns (matched by its `Message-ID`); other reports are
  ///   dropped.
  public func parseMail(_ raw: [UInt8]) -> ParsedMail {
    let parser = MIMEParser(limits: MIMELimits(maxMessageBytes: settings.maxMessageBytes))
    guard let mail = try? parser.parse(raw) else {
      return ParsedMail(item: nil, note: "too_large")
    }
    let providerId = mail.messageID ?? "sha256:" + Hex.encode(SHA256.hash(raw))
    if let report = mail.deliveryReport {
      return ParsedMail(
        item: Self.bounce(report, mail: mail, dedupeKey: providerId), note: "delivery_report")
    }
    guard let address = mail.from.first ?? mail.sender, address.address.contains("@") else {
      return ParsedMail(item: nil, note: "no_sender")
    }
    let email = address.address.lowercased()
    let automatic = mail.isAutomatic
    let stripped = mail.text.map(ReplyStripper.strip)
    var attachments: [Attachment] = []
    var files: [[UInt8]?] = []
    for part in mail.attachments {
      var attachment = part.modelAttachment
      if part.contentType == "message/rfc822" && attachment.filename == nil {
        attachment.filename = "attached.eml"
      }
      attachments.append(attachment)
      files.append(automatic ? nil : part.data)
    }
    attachments.append(
      Attachment(
        kind: "document", contentType: "message/rfc822", filename: "message.eml",
        size: Int64(raw.count), details: ["original": true]))
    files.append(raw)

    var references: [String] = []
    for id in mail.references + mail.inReplyTo where !references.contains(id) {
      references.append(id)
    }
    let message = InboundMessage(
      providerMessageId: providerId,
      sender: SenderProfile(
        externalId: email, name: address.name.flatMap { $0.isEmpty ? nil : $0 }, email: email),
      text: stripped.map(\.text).flatMap { $0.isEmpty ? nil : $0 }, attachments: attachments,
      sentAt: mail.date.map(Timestamp.init), replyToProviderId: mail.inReplyTo.last,
      references: references, conversationToken: mail.subject.flatMap(ConversationToken.find),
      isAutomatic: automatic, details: Self.details(mail, stripped: stripped))
    return ParsedMail(
      item: .message(message), files: files, note: automatic ? "automatic" : nil)
  }

  static func details(_ mail: MailMessage, stripped: StrippedReply?) -> JSONObject {
    var details: JSONObject = [:]
    details["subject"] = .optional(mail.subject)
    if let id = mail.messageID { details["message_id"] = .string(id) }
    func list(_ addresses: [MailAddress]) -> JSON {
      .array(addresses.map { JSON.string($0.address.lowercased()) })
    }
    if !mail.to.isEmpty { details["to"] = list(mail.to) }
    if !mail.cc.isEmpty { details["cc"] = list(mail.cc) }
    if let replyTo = mail.replyTo.first, replyTo.address.contains("@") {
      details["reply_to"] = .string(replyTo.address.lowercased())
    }
    if let stripped, stripped.wasStripped {
      details["quote_stripped"] = .bool(stripped.quoteStripped)
      details["signature_stripped"] = .bool(stripped.signatureStripped)
    }
    if mail.textIsFromHTML { details["text_from_html"] = true }
    let reasons = mail.automaticReasons
    if !reasons.isEmpty { details["automatic_reasons"] = .array(reasons.map { .string("\($0)") }) }
    if !mail.issues.isEmpty {
      details["mime_issues"] = .array(mail.issues.map { .string("\($0)") })
    }
    return details
  }

  /// The `.failed` status a bounce reports, or nil when nothing failed for good.
  static func bounce(_ report: DeliveryReport, mail: MailMessage, dedupeKey: String)
    -> InboundItem?
  {
    guard let original = report.originalMessageID,
      let failed = report.recipients.first(where: \.isPermanentFailure)
    else { return nil }
    var error: JSONObject = [
      "code": "bounced",
      "message": .string(failed.diagnosticCode ?? report.explanation ?? "delivery failed"),
      "status": .string(failed.status), "recipient": .string(failed.finalRecipient),
    ]
    if let mta = report.reportingMTA { error["reporting_mta"] = .string(mta) }
    return .status(
      DeliveryStatusUpdate(
        providerMessageId: original, status: .failed, error: .object(error),
        at: mail.date.map(Timestamp.init), dedupeKey: dedupeKey))
  }
}
