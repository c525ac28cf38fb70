import Testing

@testable import JunctionRouting

/// A small synthetic shop: three skills with a handful of examples each.
let syntheticExamples: [LabelledText] = {
  let skills: [String: [String]] = [
    "billing": [
      "I was charged twice for my order", "my card payment was declined",
      "please send an invoice for the payment", "why was my card charged",
      "the payment failed but money was taken", "refund the double charge on my card",
      "меня списали дважды", "оплата картой не проходит",
    ],
    "delivery": [
      "when will my parcel arrive", "how much is shipping to london",
      "the courier did not come", "track my delivery please", "my package is late",
      "do you ship abroad", "сколько стоит доставка", "когда привезут посылку",
    ],
    "technical": [
      "i cannot log in to the website", "the app crashes on start",
      "password reset email never arrives", "error on the checkout page",
      "the website is very slow", "the mobile app does not open",
      "не могу войти в аккаунт", "приложение вылетает",
    ],
  ]
  return skills.flatMap { skill, texts in texts.map { LabelledText(text: $0, label: skill) } }
}()

@Suite struct SkillClassifierTests {
  static let classifier = SkillClassifier(examples: syntheticExamples)

  @Test func learnsEverySkill() {
    #expect(Self.classifier.skills == ["billing", "delivery", "technical"])
    #expect(Self.classifier.classify("my card was charged two times").top?.skill == "billing")
    #expect(
      Self.classifier.classify("when does the courier bring my parcel").top?.skill == "delivery")
    #expect(Self.classifier.classify("the app crashes when I log in").top?.skill == "technical")
    #expect(Self.classifier.classify("доставка посылки").top?.skill == "delivery")
  }

  @Test func probabilitiesSumToOneAndAreSorted() {
    for text in ["courier", "", "qwerty zxcv", "my card was charged"] {
      let ranking = Self.classifier.classify(text).ranking
      #expect(ranking.count == 3)
      #expect(abs(ranking.map(\.probability).reduce(0, +) - 1) < 1e-6)
      #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    }
  }

  @Test func misspellingsCostLittle() {
    let cases = [
      ("my crad paymnet was declnied", "billing"), ("wehn will my parcle arive", "delivery"),
      ("the ap crahses on strat", "technical"), ("скольк стоит дсотавка", "delivery"),
    ]
    for (text, skill) in cases {
      #expect(Self.classifier.classify(text).top?.skill == skill, "\(text)")
    }
  }

  @Test func misspellingsAreCorrectedAgainstTheExamples() {
    let words = Self.classifier.words(TextNormalizer().normalize("parcle arive crahses"))
    #expect(words == ["parcel", "arrive", "crashes"])
  }

  @Test func typoGeneratorIsSeededAndChangesLongWords() {
    var first = TypoGenerator(seed: 3)
    var second = TypoGenerator(seed: 3)
    let text = "Where is my delivery, please?"
    let typo = first.misspell(text)
    #expect(typo == second.misspell(text))
    #expect(typo.hasPrefix("") && typo != text)
    #expect(typo.contains(" is my "))
    #expect(typo.count >= text.count - 3)
  }

  @Test func spellingCorrectorFindsOneEdit() {
    let corrector = SpellingCorrector(words: [
      "delivery", "delivery", "deliver", "card", "доставка",
    ])
    #expect(corrector.correct("delviery") == "delivery")
    #expect(corrector.correct("delivry") == "delivery")
    #expect(corrector.correct("deliverry") == "delivery")
    #expect(corrector.correct("доствка") == "доставка")
    #expect(corrector.correct("crd") == "card")
    #expect(corrector.correct("xyzzy") == "xyzzy")
    #expect(corrector.candidates(for: "delivers") == ["delivery", "deliver"])
  }
}
