import Testing

@testable import JunctionRouting

@Suite struct TextNormalizerTests {
  let normalizer = TextNormalizer()

  @Test func russianFoldsCaseAndYo() {
    let text = normalizer.normalize("Ёлки-палки, ЗАКАЗ ещё НЕ пришёл!")
    #expect(text.tokens == ["елки", "палки", "заказ", "еще", "не", "пришел"])
    #expect(text.language == "ru")
  }

  @Test func englishSplitsPunctuationAndJoinsApostrophes() {
    let text = normalizer.normalize("I DON'T see my card's PIN… (again)?!")
    #expect(text.tokens == ["i", "dont", "see", "my", "cards", "pin", "again"])
    #expect(text.language == "en")
  }

  @Test func persianUnifiesLettersDigitsAndJoiner() {
    // Arabic yeh and kaf, a zero-width non-joiner inside a word, Persian digits, a bidi mark.
    let text = normalizer.normalize("\u{200F}می\u{200C}خواهم سفارش ۴۸۲۱۳ را پيگيري كنم")
    #expect(text.tokens == ["میخواهم", "سفارش", "<order>", "را", "پیگیری", "کنم"])
    #expect(text.entities == [TextEntity(kind: .order, value: "48213")])
    #expect(text.language == "fa")
  }

  @Test func arabicIndicDigitsAndNFKC() {
    let text = normalizer.normalize("Ｈｅｌｌｏ ﬁle ٣٤ wo\u{200B}rld")
    #expect(text.tokens == ["hello", "file", "34", "world"])
  }

  @Test func orderNumbersInEveryForm() {
    let cases: [(String, String)] = [
      ("где мой заказ №48213?", "48213"), ("где мой заказ 48213", "48213"),
      ("order no. A-1234 is late", "a-1234"), ("see #48213 please", "48213"),
      ("номер заказа: 7781", "7781"), ("order #A-99", "a-99"),
    ]
    for (message, value) in cases {
      let text = normalizer.normalize(message)
      #expect(text.entities == [TextEntity(kind: .order, value: value)], "\(message)")
      #expect(text.tokens.contains("<order>"), "\(message)")
    }
    #expect(normalizer.normalize("where is my order").entities.isEmpty)
  }

  @Test func urlsEmailsAndPhones() {
    let text = normalizer.normalize(
      "Write to Bob.Smith@Example.com, see https://shop.example.com/a?b=1 or shop.ru; "
        + "call +7 (912) 345-67-89 or 8 912 345 67 89 or 345-67-89.")
    #expect(
      text.entities.map(\.kind) == [.email, .url, .url, .phone, .phone, .phone])
    #expect(text.entities[0].value == "bob.smith@example.com")
    #expect(text.entities[3].value == "+7 (912) 345-67-89")
    #expect(
      text.text
        == "write to <email> see <url> or <url> call <phone> or <phone> or <phone>")
  }

  @Test func numbersThatAreNotPhones() {
    let text = normalizer.normalize("I paid 1 500 000 rub for 2 items, e.g. at 10:30")
    #expect(text.entities.isEmpty)
    #expect(text.tokens.contains("500"))
  }

  @Test func languageOfMixedTextIsTheMajorityScript() {
    #expect(normalizer.normalize("мой iPhone не заряжается").language == "ru")
    #expect(normalizer.normalize("https://example.com 12345").language == nil)
  }

  @Test func everySplitOfATextNeverCrashes() {
    let sample = "Заказ №48213: https://x.ru/a — +7 (912) 345-67-89 «می\u{200C}خواهم» don't"
    let scalars = Array(sample.unicodeScalars)
    for cut in 0...scalars.count {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[..<cut])
      _ = normalizer.normalize(String(view))
    }
    let long = String(repeating: "a", count: TextNormalizer.maxScalars * 2)
    #expect(normalizer.normalize(long).tokens.first?.count == TextNormalizer.maxScalars)
  }
}
