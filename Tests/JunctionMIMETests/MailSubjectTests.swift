import Testing

@testable import JunctionMIME

@Suite("Subjects: conversation tokens and reply prefixes")
struct MailSubjectTests {
  @Test func tokens() {
    #expect(ConversationToken.find(in: "Re: Заказ [#AB12CD34]") == "AB12CD34")
    #expect(ConversationToken.find(in: "[#abc123] lower case") == nil)
    #expect(ConversationToken.find(in: "[#ABC12] too short [#ABCDEFGHIJKLM] too long") == nil)
    #expect(ConversationToken.find(in: "[#ABC-123] [#ZZ9999]") == "ZZ9999")
    #expect(ConversationToken.findAll(in: "[#AAAAAA] and [#BBBBBB]") == ["AAAAAA", "BBBBBB"])
    #expect(ConversationToken.find(in: "[# [#[#QWERTY]") == "QWERTY")
    #expect(ConversationToken.add("AB12CD34", to: "Заказ") == "Заказ [#AB12CD34]")
    #expect(
      ConversationToken.add("AB12CD34", to: "Re: Заказ [#AB12CD34]") == "Re: Заказ [#AB12CD34]")
    #expect(ConversationToken.add("AB12CD34", to: "  ") == "[#AB12CD34]")
    #expect(ConversationToken.remove(from: "Re: Заказ [#AB12CD34] ok") == "Re: Заказ ok")
  }

  @Test func generatedTokensAreValid() {
    var generator = SeededGenerator(seed: 3)
    for length in [1, 6, 8, 12, 40] {
      let code = ConversationToken.generate(length: length, using: &generator)
      #expect(ConversationToken.isValid(code) && (6...12).contains(code.count))
      #expect(
        !code.contains("O") && !code.contains("0") && !code.contains("I") && !code.contains("1"))
    }
    #expect(ConversationToken.isValid(ConversationToken.generate()))
  }

  @Test(arguments: [
    ("Re: Заказ", "Заказ"), ("RE: RE: Fwd: Заказ", "Заказ"), ("Ответ: Заказ", "Заказ"),
    ("На: Заказ", "Заказ"), ("Re[2]: Заказ", "Заказ"), ("RE(3): x", "x"), ("Fw : x", "x"),
    ("AW: WG: x", "x"), ("Отв: Пересл: x", "x"), ("Re:x", "x"), ("  Re:   x  ", "x"),
    ("Re: Re: ", ""), ("Regarding: x", "Regarding: x"), ("Order: 15", "Order: 15"),
    ("Заказ", "Заказ"),
  ])
  func prefixes(_ subject: String, _ base: String) {
    #expect(MailSubject.stripPrefixes(subject) == base)
  }

  @Test func replySubject() {
    #expect(
      MailSubject.reply(to: "RE: Ответ: Заказ [#AB12CD34]", token: "AB12CD34")
        == "Re: Заказ [#AB12CD34]")
    #expect(MailSubject.reply(to: "Заказ", token: "AB12CD34") == "Re: Заказ [#AB12CD34]")
    #expect(MailSubject.reply(to: nil) == "Re:")
    #expect(MailSubject.hasPrefix("Fwd: x") && !MailSubject.hasPrefix("x"))
  }
}
