extension Charset {
  /// Every known label, normalised (lowercase letters and digits only), to its charset.
  static let registry: [String: Charset] = {
    var map: [String: Charset] = [:]
    func add(_ name: String, _ decoder: Decoder, _ aliases: [String]) {
      let charset = Charset(name: name, decoder: decoder)
      map[normalize(name)] = charset
      for alias in aliases { map[normalize(alias)] = charset }
    }
    add("utf-8", .utf8, ["utf8", "unicode-1-1-utf-8", "unicode-2-0-utf-8", "utf8mb4"])
    add(
      "us-ascii", .ascii,
      ["ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "ibm367", "csascii"])
    add("windows-1251", .table(.windows1251), ["cp1251", "win-1251", "win1251", "ms-cyrl"])
    add("koi8-r", .table(.koi8R), ["koi8", "cskoi8r", "koi"])
    add("koi8-u", .table(.koi8U), ["koi8-ru"])
    add(
      "iso-8859-5", .table(.iso8859_5),
      ["iso_8859-5:1988", "cyrillic", "iso-ir-144", "csisolatincyrillic", "l5"])
    add("ibm866", .table(.cp866), ["cp866", "866", "csibm866", "dos-866", "alt"])
    add("mac-cyrillic", .table(.macCyrillic), ["maccyrillic", "x-mac-ukrainian"])
    add("windows-1252", .table(.windows1252), ["cp1252", "win-1252"])
    add(
      "iso-8859-1", .table(.windows1252),
      ["latin1", "latin-1", "l1", "iso_8859-1:1987", "iso-ir-100", "cp819", "ibm819", "8859-1"])
    add("iso-8859-2", .table(.iso8859_2), ["latin2", "l2", "iso_8859-2:1987", "iso-ir-101"])
    add("windows-1250", .table(.windows1250), ["cp1250", "win-1250"])
    add("iso-8859-15", .table(.iso8859_15), ["latin9", "latin-9", "l9", "iso_8859-15"])
    add("utf-16", .utf16(bigEndian: nil), ["utf16", "ucs-2", "iso-10646-ucs-2", "csunicode"])
    add("utf-16be", .utf16(bigEndian: true), ["unicodefffe"])
    add("utf-16le", .utf16(bigEndian: false), ["unicodefeff", "ucs-2le"])
    add("utf-32", .foundation(0x8C00_0100), ["ucs-4"])
    add("utf-32be", .foundation(0x9800_0100), [])
    add("utf-32le", .foundation(0x9C00_0100), [])
    // Foundation's encodings: raw values are 0x8000_0000 | CFStringEncoding.
    add(
      "gb18030", .foundation(0x8000_0632),
      ["gb2312", "gbk", "cp936", "euc-cn", "csgb2312", "eucgb2312_cn"])
    add("big5", .foundation(0x8000_0A03), ["big5-hkscs", "cp950", "csbig5", "big5_tw"])
    add("euc-kr", .foundation(0x8000_0940), ["ks_c_5601-1987", "ks_c_5601", "cp949", "korean"])
    add(
      "shift_jis", .foundation(8),
      ["shift-jis", "sjis", "ms_kanji", "cp932", "windows-31j", "csshiftjis"])
    add("euc-jp", .foundation(3), ["cseucpkdfmtjapanese"])
    add("iso-2022-jp", .foundation(21), ["csiso2022jp"])
    for (number, aliases) in [
      (3, ["latin3"]), (4, ["latin4"]), (6, ["arabic"]), (7, ["greek"]), (8, ["hebrew"]),
      (9, ["latin5"]), (10, ["latin6"]), (13, ["latin7"]), (14, ["latin8"]), (16, ["latin10"]),
    ] {
      add("iso-8859-\(number)", .foundation(0x8000_0200 + UInt(number)), aliases)
    }
    for number in 1253...1258 {
      add("windows-\(number)", .foundation(0x8000_0500 + UInt(number - 1250)), ["cp\(number)"])
    }
    return map
  }()
}
