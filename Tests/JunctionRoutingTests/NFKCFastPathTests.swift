import Foundation
import Testing

@testable import JunctionRouting

/// The normaliser skips Foundation's NFKC for text made only of scalars NFKC leaves alone; the
/// claim is checked for every such scalar, and for pairs (composition happens across scalars).
@Suite struct NFKCFastPathTests {
  static let stable: [Unicode.Scalar] = (0...0x2100).compactMap(Unicode.Scalar.init)
    .filter(TextNormalizer.isNFKCStable)

  @Test func everyStableScalarIsItsOwnNFKC() {
    for scalar in Self.stable {
      let text = String(scalar)
      #expect(
        text.precomposedStringWithCompatibilityMapping == text,
        "U+\(String(scalar.value, radix: 16))")
    }
  }

  @Test func pairsOfStableLettersDoNotCompose() {
    let letters = Self.stable.filter {
      $0.properties.isAlphabetic || $0.properties.generalCategory == .nonspacingMark
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let text = String(
        String.UnicodeScalarView([
          letters.randomElement(using: &generator)!, letters.randomElement(using: &generator)!,
        ]))
      #expect(text.precomposedStringWithCompatibilityMapping.unicodeScalars.count == 2)
    }
  }

  @Test func textOutsideTheStableRangesStillGoesThroughNFKC() {
    #expect(TextNormalizer.fold("ﬁle №5 ²") == Array("file #5 2".unicodeScalars))
    #expect(TextNormalizer.fold("и\u{0306}") == ["й"])
  }
}
