import Testing

@testable import JunctionMIME

@Suite("Address lists (RFC 5322 §3.4)")
struct MailAddressTests {
  func pairs(_ value: String) -> [String] {
    MailAddress.parseList(value).map { "\($0.name ?? "-")|\($0.address)|\($0.group ?? "-")" }
  }

  /// RFC 5322 Appendix A examples.
  @Test func rfc5322AppendixA() {
    #expect(pairs("John Doe <jdoe@machine.example>") == ["John Doe|jdoe@machine.example|-"])
    #expect(
      pairs("\"Joe Q. Public\" <john.q.public@example.com>") == [
        "Joe Q. Public|john.q.public@example.com|-"
      ])
    #expect(
      pairs("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>")
        == ["Mary Smith|mary@x.test|-", "-|jdoe@example.org|-", "Who?|one@y.test|-"])
    #expect(
      pairs("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>")
        == ["-|boss@nil.test|-", "Giant; \"Big\" Box|sysservices@example.net|-"])
    #expect(
      pairs("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;")
        == ["Ed Jones|c@a.test|A Group", "-|joe@where.test|A Group", "John|jdoe@one.test|A Group"])
    #expect(pairs("Undisclosed recipients:;").isEmpty)
    #expect(
      pairs("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>") == [
        "Pete|pete@silly.test|-"
      ])
    #expect(
      pairs(
        "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
          + "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)"
      )
        == [
          "Chris Jones|c@public.example|A Group", "-|joe@example.org|A Group",
          "John|jdoe@one.test|A Group",
        ])
    #expect(
      pairs("Joe Q. Public <john.q.public@example.com>") == [
        "Joe Q. Public|john.q.public@example.com|-"
      ])
    #expect(
      pairs("Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example")
        == ["Mary Smith|mary@example.net|-", "-|jdoe@test.example|-"])
  }

  @Test func encodedAndRawDisplayNames() {
    #expect(pairs("=?utf-8?B?0JjQstCw0L0=?= <ivan@example.ru>") == ["Иван|ivan@example.ru|-"])
    #expect(
      pairs("\"=?windows-1251?B?yOLg7Q==?=\" <ivan@example.ru>") == ["Иван|ivan@example.ru|-"])
    #expect(
      pairs("=?utf-8?B?0JjQstCw0L0=?= =?utf-8?B?0J/QtdGC0YDQvtCy?= <ivan@example.ru>")
        == ["ИванПетров|ivan@example.ru|-"])
    #expect(pairs("Иван Петров <ivan@example.ru>") == ["Иван Петров|ivan@example.ru|-"])
    #expect(pairs("ivan@example.ru (Иван Петров)") == ["Иван Петров|ivan@example.ru|-"])
  }

  @Test func brokenForms() {
    #expect(pairs("Ivan ivan@example.ru") == ["Ivan|ivan@example.ru|-"])
    #expect(pairs("Ivan <ivan@example.ru") == ["Ivan|ivan@example.ru|-"])
    #expect(pairs(",,, ; <>") == [])
    #expect(pairs("postmaster") == ["-|postmaster|-"])
    #expect(pairs("\"unterminated <a@b.c>") == [])
    #expect(pairs("Name <a@b.c>, ]]] <d@e.f>").count == 2)
  }

  @Test func partsOfAnAddress() throws {
    let address = try #require(MailAddress.parse("Ivan <Ivan.Petrov@Example.RU>"))
    #expect(address.localPart == "Ivan.Petrov" && address.domain == "example.ru")
    #expect(address.description == "Ivan <Ivan.Petrov@Example.RU>")
  }

  @Test func messageIDLists() {
    #expect(MessageIDList.parse("<a@b> <c@d>\r\n <e@f>") == ["a@b", "c@d", "e@f"])
    #expect(MessageIDList.parse("<a@b> (Ivan's message of Monday)") == ["a@b"])
    #expect(MessageIDList.parse("<a\r\n @b>") == ["a@b"])
    #expect(MessageIDList.parse("a@b, c@d") == ["a@b", "c@d"])
    #expect(MessageIDList.parse("\"<not@id>\" <real@id>") == ["real@id"])
    #expect(MessageIDList.parse("").isEmpty)
  }
}
