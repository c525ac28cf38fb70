import Testing

@testable import JunctionRouting

@Suite struct PhraseMatcherTests {
  let matcher = PhraseMatcher([
    "позовите оператора", "complaint", "cancel my account", "нет", "شکایت",
  ])

  func found(_ text: String) -> [String] { matcher.matches(in: TextNormalizer().normalize(text)) }

  @Test func findsPhrasesWithTyposAndEndings() {
    #expect(found("Позовите, пожалуйста... нет: ПОЗОВИТЕ ОПЕРАТОРА") == ["позовите оператора"])
    #expect(found("позвоите оператора") == ["позовите оператора"])
    #expect(found("I have a complaints") == ["complaint"])
    #expect(found("i want to cancle my account") == ["cancel my account"])
    #expect(found("شكايت") == ["شکایت"])
  }

  @Test func shortWordsMatchOnlyAtTheStart() {
    #expect(found("Нет, не то") == ["нет"])
    #expect(found("почему нет доставки") == [])
  }

  @Test func wordsMustBeInOrderAndComplete() {
    #expect(found("my account, cancel it") == [])
    #expect(found("оператора позовите") == [])
  }
}
