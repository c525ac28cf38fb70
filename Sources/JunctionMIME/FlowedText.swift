/// `text/plain; format=flowed` (RFC 3676): soft line breaks that clients such as Thunderbird
/// and Apple Mail put into long paragraphs, undone so a paragraph reads as one line.
enum FlowedText {
  /// Joins each line that ends in a space (a soft break) with the next line of the same
  /// quote depth; `delSp` (the `delsp=yes` parameter) also drops that space. Space-stuffing
  /// is removed; quoted lines are written back as `> ` per level; the signature separator
  /// `-- ` is never joined. Input lines end in LF.
  static func unflow(_ text: String, delSp: Bool) -> String {
    var output: [String] = []
    var paragraph = ""
    var paragraphDepth = -1
    func flush() {
      guard paragraphDepth >= 0 else { return }
      let prefix = paragraphDepth > 0 ? String(repeating: ">", count: paragraphDepth) + " " : ""
      output.append(prefix + paragraph)
      paragraph = ""
      paragraphDepth = -1
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, rawLine) in lines.enumerated() {
      var line = Substring(rawLine)
      var depth = 0
      while line.first == ">" {
        depth += 1
        line = line.dropFirst()
      }
      if line.first == " " { line = line.dropFirst() }
      if paragraphDepth >= 0 && depth != paragraphDepth { flush() }
      let isSignature = line == "-- "
      let isFlowed = line.last == " " && !isSignature && index + 1 < lines.count
      paragraphDepth = depth
      paragraph += isFlowed && delSp ? line.dropLast() : line
      if !isFlowed { flush() }
    }
    flush()
    return output.joined(separator: "\n")
  }
}
