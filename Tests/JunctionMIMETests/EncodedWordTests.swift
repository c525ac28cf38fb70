import Testing

@testable import JunctionMIME

@Suite("RFC 2047 encoded words")
struct EncodedWordTests {
  /// RFC 2047 §8, the published examples (comment parentheses kept as text).
  @Test(arguments: [
    ("(=?ISO-8859-1?Q?a?=)", "(a)"),
    ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
    ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
    ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
    ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
    ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
    ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
    ("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"),
    ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "Keld Jørn Simonsen"),
    ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
    (
      "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
      "If you can read this you understand the example."
    ),
  ])
  func rfc2047Examples(_ input: String, _ expected: String) {
    #expect(EncodedWord.decode(input) == expected)
  }

  @Test(arguments: [
    ("=?windows-1251?B?z/Do4uXy?=", "Привет"),
    ("=?koi8-r?Q?=F0=D2=C9=D7=C5=D4_=CD=C9=D2?=", "Привет мир"),
    ("=?utf-8?q?=D0=9F=D1=80=D0=B8=D0=B2=D0=B5=D1=82?=", "Привет"),
    ("=?iso-8859-5?b?v+DY0tXi?=", "Привет"),
    ("=?CP1251?b?z/Do4uXy?=", "Привет"),
    ("=?utf-8*ru?B?0J/RgNC40LLQtdGC?=", "Привет"),
    ("Re: =?UTF-8?B?0J/RgNC40LLQtdGC?= [#AB12CD34]", "Re: Привет [#AB12CD34]"),
  ])
  func cyrillicCharsets(_ input: String, _ expected: String) {
    #expect(EncodedWord.decode(input) == expected)
  }

  @Test func characterSplitAcrossWordsIsReassembled() {
    // "Пр" is D0 9F D1 80: the first word carries D0 9F D1, the second 80.
    #expect(EncodedWord.decode("=?utf-8?B?0J/R?= =?utf-8?B?gA==?=") == "Пр")
  }

  @Test func adjacentWordsWithoutSpaceAreJoined() {
    #expect(EncodedWord.decode("=?utf-8?B?0J/RgA==?==?utf-8?B?0LjQsg==?=") == "Прив")
  }

  @Test func spaceBetweenWordAndTextIsKept() {
    #expect(EncodedWord.decode("=?utf-8?q?a?= b =?utf-8?q?c?=") == "a b c")
    #expect(EncodedWord.decode("x =?utf-8?q?a?=") == "x a")
  }

  @Test(arguments: [
    "=?utf-8?B?not closed",
    "=?utf-8?X?abc?=",
    "=??B?abc?=",
    "=?utf-8?Q?has space?=",
    "=?utf-8?",
    "=?",
    "plain text = ? no word",
  ])
  func malformedWordsAreLeftAsWritten(_ input: String) {
    #expect(EncodedWord.decode(input) == input)
  }

  @Test func unknownCharsetIsGuessed() {
    #expect(EncodedWord.decode("=?x-unknown?B?0J/RgNC40LLQtdGC?=") == "Привет")
    #expect(EncodedWord.decode("=?x-unknown?B?z/Do4uXy?=") == "Привет")
  }

  @Test func hostileInputStaysLinear() {
    let opener = String(repeating: "=?a?q?x", count: 40_000)
    #expect(EncodedWord.decode(opener) == opener)
  }
}
