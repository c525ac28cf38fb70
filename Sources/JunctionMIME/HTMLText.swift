/// Plain text from HTML mail, for messages that have no `text/plain` part.
///
/// Drops tags, comments, `<script>`, `<style>`, `<head>` and `<template>` contents; decodes
/// named and numeric character references; collapses whitespace except inside `<pre>`;
/// ends paragraphs (`p`, headings, lists, tables, `blockquote`) with a blank line and
/// blocks (`div`, `tr`, `li`, `br`) with a line break; lists items as `- item`; writes a link
/// as `text (url)` unless the text already is the url.
public enum HTMLText {
  /// The text of `html`.
  public static func plainText(fromHTML html: String) -> String {
    var writer = HTMLTextWriter()
    let bytes = Array(html.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x3C, let tag = HTMLTag.read(bytes, at: index) {
        index = tag.end
        writer.handle(tag, bytes: bytes)
        continue
      }
      if writer.skipDepth > 0 {
        index += 1
        continue
      }
      if byte == 0x26 {
        let (scalar, next) = decodeReference(bytes, at: index)
        if let scalar {
          writer.text(scalar)
          index = next
          continue
        }
      }
      let length = utf8Length(byte)
      let end = min(index + length, bytes.count)
      if length == 1 {
        writer.byte(byte)
      } else {
        writer.raw(bytes[index..<end])
      }
      index = end
    }
    return writer.finish()
  }

  static func utf8Length(_ byte: UInt8) -> Int {
    switch byte {
    case 0xF0...0xFF: return 4
    case 0xE0...0xEF: return 3
    case 0xC0...0xDF: return 2
    default: return 1
    }
  }

  /// Decodes `&name;`, `&#123;` or `&#x7B;` at `index`: the scalar and the index after it,
  /// or nil when there is no valid reference there (the `&` is then literal).
  static func decodeReference(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar?, Int) {
    var end = index + 1
    if end < bytes.count && bytes[end] == 0x23 {
      end += 1
      var hex = false
      if end < bytes.count && (bytes[end] | 0x20) == 0x78 {
        hex = true
        end += 1
      }
      let digitsStart = end
      var value: UInt32 = 0
      while end < bytes.count, end - digitsStart < 8 {
        let byte = bytes[end]
        guard
          let digit = hex
            ? QuotedPrintable.hexValue(byte) : (byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil)
        else { break }
        value = value * (hex ? 16 : 10) + UInt32(digit)
        end += 1
      }
      guard end > digitsStart else { return (nil, index) }
      if end < bytes.count && bytes[end] == 0x3B { end += 1 }
      if value >= 0x80 && value <= 0x9F { value = HTMLEntities.windows1252C1[Int(value - 0x80)] }
      return (Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}", end)
    }
    while end < bytes.count, end - index <= 10,
      (bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A
        || (bytes[end] >= 0x30 && bytes[end] <= 0x39)
    {
      end += 1
    }
    let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
    guard let value = HTMLEntities.named[name], let scalar = Unicode.Scalar(value) else {
      return (nil, index)
    }
    if end < bytes.count && bytes[end] == 0x3B {
      return (scalar, end + 1)
    }
    let legacy: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]
    return legacy.contains(name) ? (scalar, end) : (nil, index)
  }
}
