import JunctionModel
import Testing

@Suite struct UTF8TextTests {
  @Test func acceptsValidTextAndRefusesInvalidBytes() {
    #expect(UTF8Text.string(Array("Привет, ۱۲۳ 😀".utf8)) == "Привет, ۱۲۳ 😀")
    #expect(UTF8Text.string([UInt8]()) == "")
    // Overlong "/", a surrogate, truncated, above U+10FFFF, a lone continuation byte, and
    // windows-1251 "Привет" (which repairs into U+FFFD, the same byte count as nothing else).
    let invalid: [[UInt8]] = [
      [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80],
      [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2],
    ]
    for bytes in invalid { #expect(UTF8Text.string(bytes) == nil) }
  }

  @Test func anInvalidByteIsFoundAtEveryPositionOfLongText() {
    let text = Array("Доставка в Казань, order 48213".utf8)
    #expect(UTF8Text.string(text) == "Доставка в Казань, order 48213")
    for position in text.indices where text[position] < 0x80 {
      var bytes = text
      bytes[position] = 0xFF
      #expect(UTF8Text.string(bytes) == nil)
    }
  }

  @Test func readsSlicesFromTheirOwnStart() {
    let bytes: [UInt8] = [0xFF] + Array("ёжик".utf8) + [0xFF]
    #expect(UTF8Text.string(bytes[1..<(bytes.count - 1)]) == "ёжик")
    #expect(UTF8Text.string(bytes[0..<3]) == nil)
  }
}
