extension MailBuilder {
  /// A serialised MIME entity: its content header fields and its body.
  struct Entity {
    var header: String
    var body: [UInt8]

    func bytes() -> [UInt8] { Array(header.utf8) + [0x0D, 0x0A] + body }
  }

  func bodyEntity<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Entity {
    let plain = text ?? html.map(HTMLText.plainText(fromHTML:))
    let textEntity = plain.map { Self.textEntity($0, subtype: "plain") }
    let inline = html == nil ? [] : attachments.filter { $0.contentID != nil }
    let files = html == nil ? attachments : attachments.filter { $0.contentID == nil }
    var body: Entity
    if let html {
      var htmlSide = Self.textEntity(html, subtype: "html")
      if !inline.isEmpty {
        htmlSide = Self.multipart(
          "related", [htmlSide] + inline.map { Self.attachmentEntity($0, inline: true) },
          using: &generator)
      }
      body =
        textEntity.map { Self.multipart("alternative", [$0, htmlSide], using: &generator) }
        ?? htmlSide
    } else {
      body = textEntity ?? Self.textEntity("", subtype: "plain")
    }
    if !files.isEmpty {
      body = Self.multipart(
        "mixed", [body] + files.map { Self.attachmentEntity($0, inline: false) },
        using: &generator)
    }
    return body
  }

  /// A UTF-8 text part: 7bit when plain ASCII with sane lines, else quoted-printable or
  /// base64, whichever is shorter. Line ends become CRLF; the body ends with one.
  static func textEntity(_ text: String, subtype: String) -> Entity {
    var normalized = MIMEPart.normalizeNewlines(text)
    if !normalized.hasSuffix("\n") { normalized += "\n" }
    let bytes = Array(normalized.utf8)
    var header = "Content-Type: text/\(subtype); charset=utf-8\r\n"
    var longest = 0
    var run = 0
    var plain = true
    for byte in bytes {
      if byte == 0x0A {
        run = 0
        continue
      }
      run += 1
      longest = max(longest, run)
      if byte >= 0x7F || (byte < 0x20 && byte != 0x09) { plain = false }
    }
    if plain && longest <= 76 {
      header += "Content-Transfer-Encoding: 7bit\r\n"
      return Entity(header: header, body: QuotedPrintable.crlf(bytes))
    }
    let quoted = QuotedPrintable.encode(bytes)
    let base64Length = (bytes.count + bytes.count / 50 + 2) / 3 * 4 * 78 / 76
    if quoted.count <= base64Length {
      header += "Content-Transfer-Encoding: quoted-printable\r\n"
      return Entity(header: header, body: quoted)
    }
    header += "Content-Transfer-Encoding: base64\r\n"
    return Entity(
      header: header,
      body: Base64.encode(QuotedPrintable.crlf(bytes)[...], lineLength: 76) + [0x0D, 0x0A])
  }

  static func attachmentEntity(_ attachment: Attachment, inline: Bool) -> Entity {
    let type = Self.checkedMediaType(attachment.contentType)
    let name = attachment.filename.isEmpty ? "attachment" : attachment.filename
    var header = HeaderEncoder.fold("Content-Type", [type + ";"] + legacyNamePieces(name))
    header += HeaderEncoder.fold(
      "Content-Disposition",
      withSemicolons([inline ? "inline" : "attachment"] + parameterPieces("filename", name)))
    header += "Content-Transfer-Encoding: base64\r\n"
    if let id = attachment.contentID, let checked = try? checkedID(id) {
      header += "Content-ID: <\(checked)>\r\n"
    }
    var body = Base64.encode(attachment.data[...], lineLength: 76)
    if !body.isEmpty { body += [0x0D, 0x0A] }
    return Entity(header: header, body: body)
  }

  /// A multipart of `children` with a random boundary that occurs in none of them.
  static func multipart<Generator: RandomNumberGenerator>(
    _ subtype: String, _ children: [Entity], using generator: inout Generator
  ) -> Entity {
    let serialized = children.map { $0.bytes() }
    var boundary = ""
    repeat {
      boundary = "=_J" + String(generator.next(), radix: 16) + String(generator.next(), radix: 16)
    } while serialized.contains { contains($0, Array(boundary.utf8)) }
    let delimiter = Array("--\(boundary)".utf8)
    var body: [UInt8] = []
    for child in serialized {
      // The CRLF before each delimiter belongs to the delimiter, so a body's own final line
      // break survives.
      body += delimiter + [0x0D, 0x0A] + child + [0x0D, 0x0A]
    }
    body += delimiter + Array("--\r\n".utf8)
    let header = "Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n"
    return Entity(header: header, body: body)
  }

  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count, let first = needle.first else { return false }
    var index = 0
    while index + needle.count <= haystack.count {
      if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle)
      {
        return true
      }
      index += 1
    }
    return false
  }

  /// `type/subtype` when both are RFC 2045 tokens, else `application/octet-stream`.
  static func checkedMediaType(_ value: String) -> String {
    let parts = value.trimmingASCIIWhitespace().asciiLowercased().split(separator: "/")
    let tspecials = Set(Array("()<>@,;:\\\"/[]?=".utf8))
    let valid =
      parts.count == 2
      && parts.allSatisfy {
        !$0.isEmpty && $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !tspecials.contains($0) }
      }
    return valid ? parts.joined(separator: "/") : "application/octet-stream"
  }
}

extension QuotedPrintable {
  /// LF line ends as CRLF.
  static func crlf(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 30)
    for byte in bytes {
      if byte == 0x0A { output.append(0x0D) }
      output.append(byte)
    }
    return output
  }
}
