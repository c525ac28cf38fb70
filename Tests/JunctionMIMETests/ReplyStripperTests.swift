import Testing

@testable import JunctionMIME

@Suite("Quoted history and signatures")
struct ReplyStripperTests {
  @Test(arguments: [
    ("Yes.\n\nOn Tue, Apr 2, 2024 at 9:15 AM Support <s@x.com> wrote:\n> question", "Yes."),
    ("Yes.\n\nOn Tue, Apr 2, 2024 at 9:15 AM Support Team\n<s@x.com> wrote:\n> q", "Yes."),
    ("Да.\n\n02.04.2024 9:15, Поддержка пишет:\n> вопрос", "Да."),
    ("Да.\n\nВ Вт, 02/04/2024 в 09:15 +0300, Поддержка пишет:\n> вопрос", "Да."),
    ("Да.\n\nвт, 2 апр. 2024 г. в 09:15, Поддержка <s@x.com>:\n\n> вопрос", "Да."),
    ("Да.\n\n02.04.2024, 09:15, \"Поддержка\" <s@x.com>:\n> вопрос", "Да."),
    ("Да.\n\nВторник, 2 апреля 2024, 9:15 +03:00 от Поддержка <s@x.com>:\n", "Да."),
    (
      "Да.\n\nвт, 2 апр. 2024 г. в 09:15, Служба поддержки магазина <\nsupport@example.com>:\n",
      "Да."
    ),
    ("Да.\n\nИван Петров написал(а):\n> вопрос", "Да."),
    ("Ja.\n\nAm 02.04.2024 um 09:15 schrieb Support <s@x.com>:\n> Frage", "Ja."),
    ("Oui.\n\nLe mar. 2 avr. 2024 à 09:15, Support <s@x.com> a écrit :\n> q", "Oui."),
    ("Ok\n\n-----Original Message-----\nFrom: a\nSent: b\n", "Ok"),
    ("Ok\n\n----- Original Message -----\nFrom: a", "Ok"),
    ("Ок\n\n-------- Исходное сообщение --------\nОт: a", "Ок"),
    (
      "Ok\n\n________________________________\nFrom: Support <s@x.com>\nSent: Tuesday\nTo: me\n",
      "Ok"
    ),
    ("Ok\n\n*From:* Support <s@x.com>\n*Sent:* Tuesday\n*Subject:* Re: x\n", "Ok"),
    ("Ок\n\nОт: Поддержка <s@x.com>\nДата: вторник\nКому: я\nТема: вопрос\n", "Ок"),
    ("Ок\n\nОт: Поддержка\nОтправлено: вторник, 2 апреля 2024 г. 9:15\nКому: я\n", "Ок"),
  ])
  func cutsAtTheHistory(_ text: String, _ expected: String) {
    let result = ReplyStripper.strip(text)
    #expect(result.text == expected)
    #expect(result.quoteStripped && !result.signatureStripped)
  }

  @Test func quotedLinesAndSignatures() {
    let inline = ReplyStripper.strip("> q1\nanswer 1\n>> deeper\n  > indented\nanswer 2\n")
    #expect(inline.text == "answer 1\nanswer 2" && inline.quoteStripped)
    let signature = ReplyStripper.strip("Thanks\r\n\r\n-- \r\nIvan\r\n+7 900\r\n")
    #expect(signature.text == "Thanks" && signature.signatureStripped && !signature.quoteStripped)
    let mobile = ReplyStripper.strip("Ок\n\nОтправлено из мобильной Почты Mail.ru\n")
    #expect(mobile.text == "Ок" && mobile.signatureStripped)
    let iphone = ReplyStripper.strip("Ok\n\nSent from my iPhone")
    #expect(iphone.text == "Ok" && iphone.signatureStripped)
  }

  @Test func keepsWhatTheCustomerWrote() {
    for text in [
      "I wrote: the order never came.", "My address is ivan@example.ru: please use it.",
      "From: Moscow\nTo: Kazan\nThe parcel is lost.", "Meeting at 10:00 with Ivan <ivan@x.ru>, ok?",
      "---------- Forwarded message ---------\nFrom: shop <a@b.c>\nDate: Tue\nSubject: order\nTo: me\n\nYour order",
      "Отправлено: вчера, а ответа нет.", "a\n\n\n\nb", "I forwarded message to you",
      "Begin forwarded message:\n\nFrom: a\nDate: b\nTo: c\nSubject: d\n\ntext",
    ] {
      let result = ReplyStripper.strip(text)
      #expect(!result.wasStripped, "\(text)")
    }
    #expect(ReplyStripper.strip("a\n\n\n\nb").text == "a\n\nb", "blank runs collapse")
    #expect(ReplyStripper.strip("").text == "")
  }
}
