import JunctionModel

/// A header block split into fields, values still raw bytes (decoded once the part's charset
/// is known, so that raw 8-bit headers can fall back to it).
struct HeaderBlock {
  var fields: [(name: String, value: [UInt8])] = []
  /// Index of the first body byte.
  var bodyStart: Int
  var issues: [MIMEIssue] = []

  /// The fields with values decoded: UTF-8 when valid, else `fallback`, else a guess.
  func headers(fallback: Charset?) -> MailHeaders {
    var headers = MailHeaders()
    headers.fields.reserveCapacity(fields.count)
    for field in fields {
      let value: String
      if let text = UTF8Text.string(field.value) {
        value = text
      } else {
        value = (fallback ?? Charset.guess(field.value[...])).decode(field.value)
      }
      headers.append(field.name, value)
    }
    return headers
  }
}

/// Splits the header block at the start of a message or part (RFC 5322 §2.2, §3.2.2).
///
/// Lines end in CRLF or LF. A line starting with a space or tab continues the previous field
/// (unfolding keeps the whitespace, drops the line break). The block ends at an empty line,
/// or — as Python's parser does — at the first line that is neither a field nor a
/// continuation, which then starts the body. An mbox `From ` line first is skipped.
enum HeaderBlockParser {
  static func parse(_ bytes: [UInt8], from start: Int, to end: Int, limits: MIMELimits)
    -> HeaderBlock
  {
    var block = HeaderBlock(bodyStart: end)
    var name: String?
    var value: [UInt8] = []
    var kept = 0
    var stopped = false
    func finish() {
      guard let current = name else { return }
      while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
      if let first = value.first, first == 0x20 || first == 0x09 {  // "Name:" CRLF " value"
        value.removeFirst(value.prefix(while: { $0 == 0x20 || $0 == 0x09 }).count)
      }
      block.fields.append((current, value))
      name = nil
      value = []
    }
    var lineStart = start
    var firstLine = true
    while lineStart < end {
      var lineEnd = lineStart
      while lineEnd < end && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let next = lineEnd < end ? lineEnd + 1 : end
      var contentEnd = lineEnd
      if contentEnd > lineStart && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      defer { firstLine = false }
      if contentEnd == lineStart {
        finish()
        block.bodyStart = next
        return block
      }
      kept += next - lineStart
      if !stopped && kept > limits.maxHeaderBytes {
        stopped = true
        finish()
        block.issues.append(.limitExceeded(.headerBytes))
      }
      let first = bytes[lineStart]
      if first == 0x20 || first == 0x09 {
        if name != nil {
          value.append(contentsOf: bytes[lineStart..<contentEnd])
        } else if !stopped {
          block.issues.append(.malformedHeaderLine)
        }
        lineStart = next
        continue
      }
      guard let colon = fieldColon(bytes, lineStart, contentEnd) else {
        if firstLine && bytes[lineStart..<contentEnd].starts(with: Array("From ".utf8)) {
          lineStart = next
          continue
        }
        finish()
        block.issues.append(.missingBodySeparator)
        block.bodyStart = lineStart
        return block
      }
      finish()
      if stopped {
        lineStart = next
        continue
      }
      if block.fields.count >= limits.maxHeaderFields {
        stopped = true
        block.issues.append(.limitExceeded(.headerFields))
        lineStart = next
        continue
      }
      var nameEnd = colon
      while nameEnd > lineStart && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) {
        nameEnd -= 1
      }
      name = String(decoding: bytes[lineStart..<nameEnd], as: UTF8.self)
      var valueStart = colon + 1
      while valueStart < contentEnd && (bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09) {
        valueStart += 1
      }
      value = Array(bytes[valueStart..<contentEnd])
      lineStart = next
    }
    finish()
    if start < end { block.issues.append(.missingBodySeparator) }
    block.bodyStart = end
    return block
  }

  /// The colon ending a field name (printable ASCII without spaces, optionally followed by
  /// whitespace as the obsolete syntax allows), or nil when the line is not a field.
  private static func fieldColon(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
    var index = start
    while index < end {
      let byte = bytes[index]
      if byte == 0x3A { return index > start ? index : nil }
      if byte == 0x20 || byte == 0x09 {
        var look = index
        while look < end && (bytes[look] == 0x20 || bytes[look] == 0x09) { look += 1 }
        return look < end && bytes[look] == 0x3A && index > start ? look : nil
      }
      if byte < 0x21 || byte > 0x7E { return nil }
      index += 1
    }
    return nil
  }
}
