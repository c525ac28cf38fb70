import Foundation
import JunctionMIME

/// `junction-bench mime [--seconds N] [--only WORD]`: parse throughput over the test corpus
/// (mixed Russian and Western mail, multiparts, attachments, DSNs), a large-attachment
/// message, and MailBuilder. `--only` runs the measurements whose label contains WORD.
func mimeBench(_ arguments: [String]) throws {
  var seconds = 3.0
  if let index = arguments.firstIndex(of: "--seconds"), index + 1 < arguments.count {
    seconds = Double(arguments[index + 1]) ?? seconds
  }
  var only: String?
  if let index = arguments.firstIndex(of: "--only"), index + 1 < arguments.count {
    only = arguments[index + 1]
  }
  let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/JunctionMIMETests/corpus").standardized
  let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
    .filter { $0.hasSuffix(".eml") }.sorted()
  let messages = try names.map { try [UInt8](Data(contentsOf: corpus.appendingPathComponent($0))) }
  guard !messages.isEmpty else {
    print("no corpus at \(corpus.path)")
    return
  }
  let parser = MIMEParser()
  var sink = 0

  func measure(_ label: String, _ batch: [[UInt8]], _ body: ([UInt8]) throws -> Int) rethrows {
    if let only, !label.contains(only) { return }
    let batchBytes = batch.reduce(0) { $0 + $1.count }
    for message in batch { sink &+= try body(message) }
    var rounds = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    repeat {
      for message in batch { sink &+= try body(message) }
      rounds += 1
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    let count = Double(rounds * batch.count)
    let padded = label.padding(toLength: 40, withPad: " ", startingAt: 0)
    print(
      padded
        + String(
          format: " %9.0f msg/s %8.1f MB/s  (%d messages, %.1f KB average)", count / elapsed,
          Double(rounds * batchBytes) / elapsed / 1e6, batch.count,
          Double(batchBytes) / Double(batch.count) / 1e3))
  }

  try measure("parse corpus (mixed)", messages) { bytes in
    let message = try parser.parse(bytes)
    return (message.text?.utf8.count ?? 0) + message.attachments.count
  }
  try measure("parse + strip reply + automatic + DSN", messages) { bytes in
    let message = try parser.parse(bytes)
    let stripped = ReplyStripper.strip(message.text ?? "")
    return stripped.text.utf8.count + message.automaticReasons.count
      + (message.deliveryReport?.recipients.count ?? 0)
  }
  var large = MailBuilder(
    from: MailAddress("a@example.com"), to: [MailAddress("b@example.com")], subject: "Отчёт")
  large.text = String(repeating: "Строка отчёта с данными за день.\n", count: 2000)
  large.attachments = [
    .init(
      filename: "отчёт.pdf", contentType: "application/pdf",
      data: (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
  ]
  let largeBytes = try large.build().bytes
  try measure("parse 8 MiB base64 attachment", [largeBytes]) { bytes in
    try parser.parse(bytes).attachments.first?.size ?? 0
  }
  var reply = MailBuilder(
    from: MailAddress("support@example.com", name: "Служба поддержки"),
    to: [MailAddress("ivan@example.ru", name: "Иван Петров")],
    subject: MailSubject.reply(to: "Проблема с заказом", token: "AB12CD34"))
  reply.text = "Здравствуйте!\n\nВаш заказ отправлен, номер для отслеживания RU123456789.\n"
  reply.html = "<p>Здравствуйте!</p><p>Ваш заказ отправлен.</p>"
  reply.references = ["a@example.ru", "b@example.com"]
  reply.inReplyTo = "b@example.com"
  let replyBytes = try reply.build().bytes
  measure("build reply, text + html (output MB/s)", [replyBytes]) { _ in
    (try? reply.build().bytes.count) ?? 0
  }
  if sink == 42 { print("") }
}
