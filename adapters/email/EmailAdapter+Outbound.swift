import Foundation
import JunctionChannels
import JunctionMIME
import JunctionModel

extension EmailAdapter {
  /// Sends a reply by SMTP.
  ///
  /// The mail continues the customer's thread: `In-Reply-To` the customer message answered
  /// (the latest by default), `References` their chain plus every message id of the
  /// conversation, subject `Re: <their subject> [#TOKEN]` (``MailThreadToken``), `To` their
  /// `Reply-To` when they gave one. `From` and `Reply-To` come from the settings; the body is
  /// text + simple HTML (multipart/alternative), files are fetched from their URLs (signed
  /// blob links) through `transport`; bot answers carry `Auto-Submitted: auto-replied`.
  /// `Message-ID` is `<junction message id>@<from domain>`, the same on every retry, and is
  /// the provider message id (bounces find the reply by it). SMTP 5xx fails the message
  /// (a 5.1.x status marks the address unreachable), 4xx and connection trouble retry.
  public func send(_ message: OutboundMessage, transport: any ChannelTransport) async -> SendResult
  {
    guard let mail else {
      return .failed(ProviderError(code: "no_mail_transport", message: "no SMTP transport"))
    }
    guard let smtp = settings.smtp else {
      return .failed(
        ProviderError(
          code: "no_smtp_url", message: "channel \(instance.id) has no settings.smtp_url"))
    }
    let earlier = await history?.messages(inConversation: message.conversationId) ?? []
    let thread = EmailThread(messages: earlier, answering: message.inReplyToProviderId)
    guard
      let address = thread.replyAddress ?? message.recipient.email
        ?? (message.recipient.externalId.contains("@") ? message.recipient.externalId : nil)
    else {
      return .failed(
        ProviderError(code: "invalid_recipient", message: "the contact has no e-mail address"),
        recipientUnreachable: true)
    }
    var files: [MailBuilder.Attachment] = []
    for attachment in message.attachments {
      switch await Self.fetch(attachment, transport: transport) {
      case .success(let file): files.append(file)
      case .failure(.retry(let error)): return .retry(error, retryAfter: nil)
      case .failure(.failed(let error)): return .failed(error)
      }
    }
    let built: MailBuilder.Built
    do {
      built = try compose(message, to: address, thread: thread, files: files).build()
    } catch {
      return .failed(ProviderError(code: "invalid_message", message: error.description))
    }
    let result = await mail.submit(
      built.bytes, from: settings.from.address, recipients: [address], via: smtp)
    return Self.classify(result, messageID: built.messageID)
  }

  /// The message to build for `message`.
  func compose(
    _ message: OutboundMessage, to address: String, thread: EmailThread,
    files: [MailBuilder.Attachment]
  ) -> MailBuilder {
    let token = MailThreadToken.make(conversationId: message.conversationId)
    let subject: String
    if let original = thread.subject ?? message.details["subject"]?.stringValue {
      subject = MailSubject.reply(to: ConversationToken.remove(from: original), token: token)
    } else {
      subject = ConversationToken.add(token, to: settings.from.name ?? settings.from.address)
    }
    var builder = MailBuilder(
      from: settings.from, to: [MailAddress(address, name: message.recipient.name)],
      subject: subject)
    builder.replyTo = [settings.replyTo]
    builder.messageID = Self.messageID(message.messageId, domain: settings.from.domain)
    builder.inReplyTo = thread.inReplyTo
    builder.references = thread.references
    builder.autoSubmitted = message.isAutomatic
    builder.extraHeaders = [
      MailHeader(name: "X-Junction-Conversation", value: message.conversationId)
    ]
    builder.text = message.text ?? ""
    if let text = message.text { builder.html = Self.html(text) }
    builder.attachments = files
    return builder
  }

  /// `<junction message id>@domain`: stable across retries, so a resend is the same mail.
  static func messageID(_ messageId: String, domain: String) -> String {
    let local = String(
      messageId.unicodeScalars.filter {
        $0.isASCII
          && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
            || "_-.".unicodeScalars.contains($0))
      })
    return "\(local.isEmpty ? "reply" : local)@\(domain.isEmpty ? "junction.invalid" : domain)"
  }

  /// Simple HTML from plain text: escaped, paragraphs at blank lines, `<br>` at line breaks.
  static func html(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "&", with: "&amp;")
      .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\r\n", with: "\n")
    let paragraphs = escaped.components(separatedBy: "\n\n").filter {
      !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    let body = paragraphs.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>\n") + "</p>" }
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
      + body.joined(separator: "\n") + "\n</body></html>\n"
  }

  enum FetchFailure: Error {
    case retry(ProviderError)
    case failed(ProviderError)
  }

  /// Downloads a reply's attachment from its URL (a signed blob link or the helpdesk's URL).
  static func fetch(_ attachment: Attachment, transport: any ChannelTransport) async
    -> Result<MailBuilder.Attachment, FetchFailure>
  {
    guard let url = attachment.url else {
      return .failure(
        .failed(ProviderError(code: "attachment_unavailable", message: "no URL for a file")))
    }
    switch await DownloadResult.get(
      url, transport: transport, maxBytes: manifest.capabilities.maxAttachmentBytes)
    {
    case .downloaded(let file):
      return .success(
        MailBuilder.Attachment(
          filename: attachment.filename ?? file.filename ?? "attachment",
          contentType: attachment.contentType ?? file.contentType ?? "application/octet-stream",
          data: file.bytes))
    case .retry(let error):
      return .failure(
        .retry(ProviderError(code: "attachment_\(error.code)", message: error.message)))
    case .failed(let error):
      return .failure(
        .failed(ProviderError(code: "attachment_\(error.code)", message: error.message)))
    }
  }

  /// The send result for an SMTP answer.
  static func classify(_ result: MailSubmissionResult, messageID: String) -> SendResult {
    let code = result.replyCode.map { "smtp_\($0)" }
    let error = ProviderError(
      code: code ?? "smtp_unavailable", message: result.replyText,
      providerCode: result.replyCode.map(String.init))
    switch result.outcome {
    case .accepted:
      var details: JSONObject = [:]
      if let reply = result.replyCode {
        details["smtp_reply"] = .string("\(reply) \(result.replyText)")
      }
      return .sent(providerMessageId: messageID, details: details)
    case .temporaryFailure:
      return .retry(error, retryAfter: nil)
    case .permanentFailure:
      return .failed(error, recipientUnreachable: isBadAddress(result.replyText))
    }
  }

  /// Whether an SMTP reply text carries an enhanced status `5.1.x` (bad destination address).
  static func isBadAddress(_ text: String) -> Bool {
    text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" }).contains { word in
      word.hasPrefix("5.1.") && word.count >= 5 && word.dropFirst(4).allSatisfy(\.isNumber)
    }
  }
}
