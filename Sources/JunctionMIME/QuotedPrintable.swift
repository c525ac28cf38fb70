/// Quoted-printable (RFC 2045 §6.7) and the Q encoding of RFC 2047 encoded words.
enum QuotedPrintable {
  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  static let hexDigits = Array("0123456789ABCDEF".utf8)

  /// Decodes a quoted-printable body: `=XX` (either case), soft line breaks `=` + CRLF or LF
  /// (with trailing whitespace before the break tolerated), trailing whitespace of each line
  /// dropped, and an `=` that starts no valid escape kept as it is. Line ends are kept as in
  /// the input.
  static func decode(_ input: ArraySlice<UInt8>) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var index = input.startIndex
    let end = input.endIndex
    var pendingSpace = output.count  // start of trailing whitespace on the current line
    while index < end {
      let byte = input[index]
      switch byte {
      case 0x3D:  // "="
        if index + 2 < end, let high = hexValue(input[index + 1]),
          let low = hexValue(input[index + 2])
        {
          output.append(high << 4 | low)
          index += 3
          pendingSpace = output.count
          continue
        }
        // Soft line break: "=" then optional whitespace then CRLF / LF / end of input.
        var look = index + 1
        while look < end, input[look] == 0x20 || input[look] == 0x09 { look += 1 }
        if look == end {
          index = end
          continue
        }
        if input[look] == 0x0A {
          index = look + 1
          continue
        }
        if input[look] == 0x0D, look + 1 < end, input[look + 1] == 0x0A {
          index = look + 2
          continue
        }
        output.append(byte)
        index += 1
        pendingSpace = output.count
      case 0x20, 0x09:
        output.append(byte)
        index += 1
      case 0x0D, 0x0A:
        output.removeSubrange(trailingSpaceStart(output, from: pendingSpace)..<output.count)
        output.append(byte)
        index += 1
        pendingSpace = output.count
      default:
        output.append(byte)
        index += 1
        pendingSpace = output.count
      }
    }
    return output
  }

  /// Where the run of spaces and tabs ending `output` starts (not before `from`).
  private static func trailingSpaceStart(_ output: [UInt8], from: Int) -> Int {
    var start = output.count
    while start > from, output[start - 1] == 0x20 || output[start - 1] == 0x09 { start -= 1 }
    return start
  }

  /// Decodes the Q encoding of an encoded word: like quoted-printable, and `_` is a space.
  static func decodeQ(_ input: ArraySlice<UInt8>) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var index = input.startIndex
    while index < input.endIndex {
      let byte = input[index]
      if byte == 0x3D, index + 2 < input.endIndex, let high = hexValue(input[index + 1]),
        let low = hexValue(input[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
        continue
      }
      output.append(byte == 0x5F ? 0x20 : byte)
      index += 1
    }
    return output
  }
}

extension QuotedPrintable {
  /// Encodes text: line ends (LF or CRLF in `input`) become CRLF, lines are at most 76
  /// characters with `=` soft breaks, `=`, non-ASCII and control bytes and whitespace at the
  /// end of a line are escaped.
  static func encode(_ input: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count + input.count / 8)
    var lineStart = 0
    while lineStart <= input.count {
      var lineEnd = lineStart
      while lineEnd < input.count && input[lineEnd] != 0x0A { lineEnd += 1 }
      var contentEnd = lineEnd
      if contentEnd > lineStart && input[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      var column = 0
      for index in lineStart..<contentEnd {
        let byte = input[index]
        let literal =
          (byte >= 0x21 && byte <= 0x7E && byte != 0x3D)
          || ((byte == 0x20 || byte == 0x09) && index + 1 < contentEnd)
        let length = literal ? 1 : 3
        if column + length > 75 {
          output.append(contentsOf: [0x3D, 0x0D, 0x0A])
          column = 0
        }
        if literal {
          output.append(byte)
        } else {
          output.append(0x3D)
          output.append(hexDigits[Int(byte >> 4)])
          output.append(hexDigits[Int(byte & 0x0F)])
        }
        column += length
      }
      guard lineEnd < input.count else { break }
      output.append(contentsOf: [0x0D, 0x0A])
      lineStart = lineEnd + 1
    }
    return output
  }
}
