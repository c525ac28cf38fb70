extension MIMEParser {
  /// A `--boundary` line found in a multipart body.
  struct Delimiter {
    /// Where the part before it ends (the line break before the delimiter belongs to it).
    var partEnd: Int
    /// The first byte after the delimiter line.
    var next: Int
    /// Whether it is the closing `--boundary--`.
    var isClose: Bool
  }

  /// Splits a multipart body at its boundary and parses each part; nil when the boundary is
  /// nowhere to be found (the caller then keeps the body as one text part).
  func parseMultipart(
    _ bytes: [UInt8], _ body: Range<Int>, part: MIMEPart, depth: Int, state: inout State
  ) -> [MIMEPart]? {
    var boundary = Array((part.contentType.boundary ?? "").utf8)
    if boundary.isEmpty {
      state.note(.missingBoundaryParameter)
      boundary = guessBoundary(bytes, body)
      guard !boundary.isEmpty else { return nil }
    }
    let delimiters = findDelimiters(bytes, body, boundary)
    guard !delimiters.isEmpty else {
      state.note(.missingBoundary(String(decoding: boundary, as: UTF8.self)))
      return nil
    }
    if delimiters.last?.isClose != true {
      state.note(.missingFinalBoundary(String(decoding: boundary, as: UTF8.self)))
    }
    let digest = part.contentType.subtype == "digest"
    var children: [MIMEPart] = []
    for (index, delimiter) in delimiters.enumerated() where !delimiter.isClose {
      guard state.parts < limits.maxParts else {
        state.note(.limitExceeded(.parts))
        break
      }
      let start = delimiter.next
      let end = index + 1 < delimiters.count ? delimiters[index + 1].partEnd : body.upperBound
      children.append(
        parsePart(bytes, start..<max(start, end), depth: depth + 1, digest: digest, state: &state))
    }
    return children
  }

  /// Every delimiter line up to and including the closing one (RFC 2046 §5.1.1: `--` and the
  /// boundary at the start of a line, `--` after it on the closing line, then only spaces or
  /// tabs before the line end).
  func findDelimiters(_ bytes: [UInt8], _ body: Range<Int>, _ boundary: [UInt8]) -> [Delimiter] {
    var delimiters: [Delimiter] = []
    var lineStart = body.lowerBound
    let end = body.upperBound
    let first = boundary[0]
    while lineStart < end {
      if lineStart + 2 + boundary.count <= end && bytes[lineStart] == 0x2D
        && bytes[lineStart + 1] == 0x2D && bytes[lineStart + 2] == first
        && bytes[(lineStart + 2)..<(lineStart + 2 + boundary.count)].elementsEqual(boundary)
      {
        var index = lineStart + 2 + boundary.count
        var isClose = false
        if index + 1 < end && bytes[index] == 0x2D && bytes[index + 1] == 0x2D {
          isClose = true
          index += 2
        }
        while index < end && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
        var next: Int?
        if index == end {
          next = end
        } else if bytes[index] == 0x0A {
          next = index + 1
        } else if bytes[index] == 0x0D && (index + 1 == end || bytes[index + 1] == 0x0A) {
          next = min(index + 2, end)
        }
        if let next {
          var partEnd = lineStart
          if partEnd > body.lowerBound && bytes[partEnd - 1] == 0x0A {
            partEnd -= 1
            if partEnd > body.lowerBound && bytes[partEnd - 1] == 0x0D { partEnd -= 1 }
          }
          delimiters.append(Delimiter(partEnd: partEnd, next: next, isClose: isClose))
          if isClose { return delimiters }
          lineStart = next
          continue
        }
      }
      while lineStart < end && bytes[lineStart] != 0x0A { lineStart += 1 }
      lineStart += 1
    }
    return delimiters
  }

  /// For a multipart without a `boundary` parameter: the first line that starts with `--`.
  func guessBoundary(_ bytes: [UInt8], _ body: Range<Int>) -> [UInt8] {
    var lineStart = body.lowerBound
    while lineStart < body.upperBound {
      var lineEnd = lineStart
      while lineEnd < body.upperBound && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      var line = bytes[lineStart..<lineEnd]
      while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 {
        line = line.dropLast()
      }
      if line.count > 2 && line.starts(with: [0x2D, 0x2D]) { return Array(line.dropFirst(2)) }
      lineStart = lineEnd + 1
    }
    return []
  }
}
