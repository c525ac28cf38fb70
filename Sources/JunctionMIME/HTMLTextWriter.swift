/// Accumulates the text of an HTML document with block-aware line breaks.
struct HTMLTextWriter {
  var output: [UInt8] = []
  /// Inside `script`, `style`, `head`, `template`, `title`: text is dropped.
  var skipDepth = 0
  var preDepth = 0
  var pendingSpace = false
  /// Links being written: href and where their text started.
  var links: [(href: String?, start: Int)] = []

  static let skipped: Set<String> = ["script", "style", "head", "template", "title", "xml"]
  static let paragraphs: Set<String> = [
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr",
    "dl", "figure", "address",
  ]
  static let blocks: Set<String> = [
    "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "form", "center",
    "main", "nav", "aside", "fieldset", "caption", "tbody", "thead", "tfoot", "body",
  ]

  mutating func handle(_ tag: HTMLTag, bytes: [UInt8]) {
    let name = tag.name
    if Self.skipped.contains(name) {
      skipDepth = max(0, skipDepth + (tag.isClosing ? -1 : 1))
      return
    }
    guard skipDepth == 0, !name.isEmpty else { return }
    switch name {
    case "br":
      newline(force: true)
    case "pre":
      paragraph()
      preDepth = max(0, preDepth + (tag.isClosing ? -1 : 1))
    case "td", "th":
      if !tag.isClosing { pendingSpace = true }
    case "li" where !tag.isClosing:
      newline()
      output.append(contentsOf: Array("- ".utf8))
      pendingSpace = false
    case "a":
      if tag.isClosing { closeLink() } else { links.append((tag.attribute("href"), output.count)) }
    default:
      if Self.paragraphs.contains(name) {
        paragraph()
      } else if Self.blocks.contains(name) {
        newline()
      }
    }
  }

  mutating func closeLink() {
    guard let link = links.popLast(), let href = link.href?.trimmingASCIIWhitespace(),
      !href.isEmpty, !href.hasPrefix("#"), !href.asciiLowercased().hasPrefix("javascript:")
    else { return }
    let start = min(link.start, output.count)
    let text = String(decoding: output[start...], as: UTF8.self).trimmingASCIIWhitespace()
    guard !text.isEmpty else { return }
    let bare = href.asciiLowercased().hasPrefix("mailto:") ? String(href.dropFirst(7)) : href
    if text == href || text == bare || "http://" + text == href || "https://" + text == href
      || text + "/" == href
    {
      return
    }
    output.append(contentsOf: Array(" (\(bare))".utf8))
  }

  mutating func newline(force: Bool = false) {
    pendingSpace = false
    while let last = output.last, last == 0x20 { output.removeLast() }
    if force || (!output.isEmpty && output.last != 0x0A) { output.append(0x0A) }
  }

  mutating func paragraph() {
    newline()
    guard !output.isEmpty else { return }
    if output.count < 2 || output[output.count - 2] != 0x0A { output.append(0x0A) }
  }

  mutating func byte(_ byte: UInt8) {
    if preDepth == 0
      && (byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C)
    {
      if !output.isEmpty && output.last != 0x0A { pendingSpace = true }
      return
    }
    if preDepth > 0 && byte == 0x0D { return }
    flushSpace()
    output.append(byte)
  }

  mutating func raw(_ bytes: ArraySlice<UInt8>) {
    flushSpace()
    output.append(contentsOf: bytes)
  }

  mutating func text(_ scalar: Unicode.Scalar) {
    if scalar == "\u{A0}" {
      flushSpace()
      output.append(0x20)
      return
    }
    if scalar.value < 0x80 {
      byte(UInt8(scalar.value))
      return
    }
    raw(ArraySlice(Array(String(scalar).utf8)))
  }

  mutating func flushSpace() {
    if pendingSpace && !output.isEmpty && output.last != 0x0A { output.append(0x20) }
    pendingSpace = false
  }

  /// The text: trailing spaces removed from each line, at most one blank line in a row,
  /// no blank lines at either end.
  func finish() -> String {
    var lines: [Substring] = []
    var blank = 0
    let text = String(decoding: output, as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var trimmed = line
      while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
      if trimmed.isEmpty {
        blank += 1
        if blank > 1 || lines.isEmpty { continue }
      } else {
        blank = 0
      }
      lines.append(trimmed)
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    return lines.joined(separator: "\n")
  }
}
