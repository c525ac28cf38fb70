import JunctionChannels
import Testing

@Suite struct TextSplitterTests {
  @Test func shortTextIsOnePart() {
    #expect(TextSplitter.split("hello", maxLength: 10) == ["hello"])
  }

  @Test func longTextSplitsOnWordsWithinTheLimit() {
    let text = "Добрый день! Ваш заказ 48213 передан в службу доставки и прибудет завтра до 18:00."
    let parts = TextSplitter.split(text, maxLength: 30)
    #expect(parts.allSatisfy { $0.count <= 30 })
    #expect(parts.joined(separator: " ") == text)
    #expect(!parts.contains { $0.hasPrefix(" ") || $0.hasSuffix(" ") })
  }

  @Test func aWordLongerThanAPartIsCutAndEmojiStayWhole() {
    let parts = TextSplitter.split(String(repeating: "a", count: 25), maxLength: 10)
    #expect(parts == ["aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"])
    let emoji = TextSplitter.split(String(repeating: "👍🏽", count: 7), maxLength: 3)
    #expect(emoji.map(\.count) == [3, 3, 1])
    #expect(emoji.joined() == String(repeating: "👍🏽", count: 7))
  }

  @Test func newlinesArePreferredBreaks() {
    let text = "line one is here\nline two is here too"
    #expect(
      TextSplitter.split(text, maxLength: 24) == ["line one is here", "line two is here too"])
  }
}
