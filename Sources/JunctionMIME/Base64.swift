/// Base64 as MIME uses it (RFC 2045 §6.8): tolerant decoding, encoding wrapped at 76 columns.
enum Base64 {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// 0-63 for alphabet bytes, 0xFE for whitespace, 0xFD for `=`, 0xFF for anything else.
  static let reverse: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
    for byte in [0x20, 0x09, 0x0D, 0x0A] as [UInt8] { table[Int(byte)] = 0xFE }
    table[0x3D] = 0xFD
    return table
  }()

  /// Decodes base64, skipping whitespace and any byte outside the alphabet. `=` ends a
  /// quantum (so concatenated padded chunks decode too); a dangling single character is
  /// dropped. `clean` is false when garbage or a dangling character was skipped.
  static func decode(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], clean: Bool) {
    var output: [UInt8] = []
    output.reserveCapacity(input.count / 4 * 3 + 3)
    var quantum: UInt32 = 0
    var count = 0
    var clean = true
    func flush() {
      switch count {
      case 2: output.append(UInt8(truncatingIfNeeded: quantum >> 4))
      case 3:
        output.append(UInt8(truncatingIfNeeded: quantum >> 10))
        output.append(UInt8(truncatingIfNeeded: quantum >> 2))
      case 1: clean = false
      default: break
      }
      quantum = 0
      count = 0
    }
    for byte in input {
      let value = reverse[Int(byte)]
      if value < 64 {
        quantum = quantum << 6 | UInt32(value)
        count += 1
        if count == 4 {
          output.append(UInt8(truncatingIfNeeded: quantum >> 16))
          output.append(UInt8(truncatingIfNeeded: quantum >> 8))
          output.append(UInt8(truncatingIfNeeded: quantum))
          quantum = 0
          count = 0
        }
      } else if value == 0xFD {
        flush()
      } else if value == 0xFF {
        clean = false
      }
    }
    flush()
    return (output, clean)
  }

  /// Encodes `input`; with `lineLength` > 0 inserts CRLF after every `lineLength` characters.
  static func encode(_ input: ArraySlice<UInt8>, lineLength: Int = 0) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count * 4 / 3 + input.count / 38 + 8)
    var column = 0
    func put(_ byte: UInt8) {
      if lineLength > 0 && column == lineLength {
        output.append(0x0D)
        output.append(0x0A)
        column = 0
      }
      output.append(byte)
      column += 1
    }
    var index = input.startIndex
    while index < input.endIndex {
      let remaining = input.endIndex - index
      let b0 = UInt32(input[index])
      let b1 = remaining > 1 ? UInt32(input[index + 1]) : 0
      let b2 = remaining > 2 ? UInt32(input[index + 2]) : 0
      let triple = b0 << 16 | b1 << 8 | b2
      put(alphabet[Int(triple >> 18 & 0x3F)])
      put(alphabet[Int(triple >> 12 & 0x3F)])
      put(remaining > 1 ? alphabet[Int(triple >> 6 & 0x3F)] : 0x3D)
      put(remaining > 2 ? alphabet[Int(triple & 0x3F)] : 0x3D)
      index += min(3, remaining)
    }
    return output
  }
}
