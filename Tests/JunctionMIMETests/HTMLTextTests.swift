import Testing

@testable import JunctionMIME

@Suite("Text from HTML")
struct HTMLTextTests {
  @Test(arguments: [
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("a<br>b<br/><br />c", "a\nb\n\nc"),
    ("<div>x</div><div>y</div>", "x\ny"),
    ("  lots   of\n\n  space  ", "lots of space"),
    ("<pre>  keep\n    this</pre>after", "  keep\n    this\n\nafter"),
    ("&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; &copy &euro;", "<tag> & \"q\" 'a' © €"),
    ("&#1055;&#x440;&#X438; &#150; &#0; &#x110000;", "При – \u{FFFD} \u{FFFD}"),
    ("&unknown; & &amp", "&unknown; & &"),
    ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ("<a href=\"https://x.test/\">https://x.test/</a>", "https://x.test/"),
    ("<a href=\"https://x.test/a?b=1&amp;c=2\">link</a>", "link (https://x.test/a?b=1&c=2)"),
    ("<a href='mailto:a@b.c'>a@b.c</a>", "a@b.c"),
    ("<a href=\"#top\">top</a> <a href=\"javascript:x()\">js</a>", "top js"),
    ("<a href=x.html><img src=cid:1></a>", ""),
    ("<head><title>T</title><style>b{}</style></head><script>1<2</script>ok", "ok"),
    ("<!-- hidden --><!DOCTYPE html><?xml x?>ok", "ok"),
    ("a < b and c > d", "a < b and c > d"),
    ("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n3"),
    ("<p>unclosed <b>bold <i>both", "unclosed bold both"),
    ("<blockquote>q</blockquote>t", "q\n\nt"),
  ])
  func converts(_ html: String, _ text: String) {
    #expect(HTMLText.plainText(fromHTML: html) == text)
  }
}
