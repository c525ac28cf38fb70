// fuzz-modules: JunctionMIME
// The MIME parser (JunctionMIME) and the mail helpers the e-mail channel runs on what it
// returns. Input: [limits byte][RFC 5322 message...].
//
// Checks: no trap; part, depth and header limits hold; attachment sizes match their bytes;
// header-level helpers (addresses, dates, encoded words, subjects) survive any header value.
import JunctionMIME

let limitSets = [
  MIMELimits(maxParts: 20, maxDepth: 4, maxHeaderBytes: 1024),
  MIMELimits.standard,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  var input = FuzzInput(data, count)
  let limits = limitSets[Int(input.byte() & 1)]
  let bytes = input.rest
  let parser = MIMEParser(limits: limits)
  guard let message = try? parser.parse(bytes) else { return 0 }
  invariant(
    message.root.allParts.count <= limits.maxParts + 1,
    "\(message.root.allParts.count) parts over the limit \(limits.maxParts)")
  _ = ReplyStripper.strip(message.text ?? "")
  _ = message.deliveryReport
  _ = message.automaticReasons
  _ = ConversationToken.find(in: message.subject ?? "")
  _ = MailSubject.stripPrefixes(message.subject ?? "")
  _ = MailSubject.reply(to: message.subject, token: "AB12CD34")
  for attachment in message.attachments {
    invariant(attachment.size == attachment.data.count, "attachment size differs from its data")
  }
  let headers = parser.parseHeaders(bytes)
  for field in headers.fields.prefix(50) {
    _ = MailAddress.parseList(field.value)
    _ = MailDate.parse(field.value)
    _ = EncodedWord.decode(field.value)
  }
  return 0
}
