import Foundation
import Testing

@testable import JunctionMIME

/// Checks what MailBuilder writes against an independent reader: Python's `email` package
/// (policy=default). Needs python3 (stdlib only); fails loudly without it.
@Suite("Cross-check with Python's email package")
struct PythonCrossCheckTests {
  static let reader = """
    import json, re, sys
    from email import message_from_bytes, policy
    out = {}
    for path in sys.argv[1:]:
        msg = message_from_bytes(open(path, 'rb').read(), policy=policy.default)
        def addrs(name):
            h = msg[name]
            return [[a.display_name, a.addr_spec] for a in h.addresses] if h is not None else []
        def ids(name):
            return re.findall(r'<([^>]*)>', str(msg[name] or ''))
        plain, html = msg.get_body(('plain',)), msg.get_body(('html',))
        defects = [type(d).__name__ for part in msg.walk() for d in part.defects]
        defects += [type(d).__name__ for k in msg.keys() for d in getattr(msg[k], 'defects', ())]
        out[path] = {
            'subject': str(msg['Subject']), 'from': addrs('From'), 'to': addrs('To'),
            'cc': addrs('Cc'), 'reply_to': addrs('Reply-To'), 'message_id': ids('Message-ID'),
            'in_reply_to': ids('In-Reply-To'), 'references': ids('References'),
            'auto_submitted': str(msg['Auto-Submitted'] or ''),
            'text': plain.get_content().replace('\\r\\n', '\\n') if plain is not None else None,
            'html': html.get_content().replace('\\r\\n', '\\n') if html is not None else None,
            'attachments': [[p.get_filename(), p.get_content_type(), len(p.get_content()),
                             p['Content-ID']] for p in msg.iter_attachments()]
                           + [[p.get_filename(), p.get_content_type(), len(p.get_content()),
                               p['Content-ID']] for p in msg.walk()
                              if p['Content-ID'] is not None],
            'defects': defects,
        }
    print(json.dumps(out))
    """

  static let codecs = """
    import json
    names = {'windows1251': 'cp1251', 'koi8R': 'koi8_r', 'koi8U': 'koi8_u', 'iso8859_5': 'iso8859_5',
             'cp866': 'cp866', 'macCyrillic': 'mac_cyrillic', 'iso8859_2': 'iso8859_2',
             'windows1250': 'cp1250', 'iso8859_15': 'iso8859_15', 'windows1252': 'cp1252'}
    out = {}
    for key, codec in names.items():
        out[key] = [ord(bytes([b]).decode(codec, 'replace')) for b in range(128, 256)]
    print(json.dumps(out))
    """

  /// Runs python3 with `script` and `arguments`; the parsed JSON it prints.
  func python(_ script: String, _ arguments: [String] = []) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      Issue.record("python3 is required for this test and could not be started: \(error)")
      throw error
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(
      process.terminationStatus == 0,
      "python3 failed (is it installed?): \(String(decoding: stderr, as: UTF8.self))")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func pythonReadsWhatMailBuilderWrites() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("junction-mime-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var emoji = BuilderSamples.textOnly()
    emoji.from = MailAddress("bot@example.com", name: "Бот 🤖 поддержки")
    emoji.subject = String(repeating: "Ёжик в тумане 🌫️ ", count: 8)
    var random = RandomMail(seed: 2024)
    let samples =
      [BuilderSamples.reply(), BuilderSamples.textOnly(), BuilderSamples.htmlOnlyLatin(), emoji]
      + (0..<30).map { _ in random.builder() }
    var paths: [String] = []
    for (index, sample) in samples.enumerated() {
      let path = directory.appendingPathComponent("\(index).eml").path
      var generator = SeededGenerator(seed: UInt64(index))
      try Data(sample.build(using: &generator).bytes).write(to: URL(fileURLWithPath: path))
      paths.append(path)
    }
    let results = try python(Self.reader, paths)
    for (sample, path) in zip(samples, paths) {
      let result = try #require(results[path] as? [String: Any])
      let subject = result["subject"] as? String ?? ""
      #expect(
        MailBuilderRandomTests.headerText(subject)
          == MailBuilderRandomTests.headerText(sample.subject))
      // Python's policy.default reader keeps the folding space between two encoded words of a
      // display name (RFC 2047 §6.2 says to drop it; its legacy decode_header does) and folds
      // runs of whitespace inside one, so names are compared with whitespace normalised.
      let from = try #require((result["from"] as? [[String]])?.first)
      #expect(from[1] == sample.from.address)
      #expect(compact(from[0]) == compact(sample.from.name ?? ""), "\(path)")
      if HeaderEncoder.phrase(sample.from.name ?? "").count == 1 {  // it also folds space runs
        #expect(spaced(from[0]) == spaced(sample.from.name ?? ""), "\(path)")
      }
      #expect((result["to"] as? [[String]])?.map { $0[1] } == sample.to.map(\.address))
      #expect(
        (result["to"] as? [[String]])?.map { compact($0[0]) } == sample.to.map { compact($0.name) })
      #expect((result["cc"] as? [[String]])?.map { $0[0] } == sample.cc.map { $0.name ?? "" })
      #expect(
        (result["reply_to"] as? [[String]])?.map { $0[0] } == sample.replyTo.map { $0.name ?? "" })
      #expect(result["in_reply_to"] as? [String] == sample.inReplyTo.map { [$0] } ?? [])
      #expect(result["references"] as? [String] == sample.references)
      #expect(result["auto_submitted"] as? String == (sample.autoSubmitted ? "auto-replied" : ""))
      let text = sample.text ?? sample.html.map(HTMLText.plainText(fromHTML:))
      #expect(result["text"] as? String == text.map(withNewline))
      #expect(result["html"] as? String == sample.html.map(withNewline))
      #expect(result["defects"] as? [String] == [], "Python found defects in \(path)")
      let attachments = result["attachments"] as? [[Any]] ?? []
      for original in sample.attachments {
        let match = attachments.first { ($0[0] as? String) == original.filename }
        #expect(match != nil, "Python does not see \(original.filename)")
        #expect(match?[2] as? Int == original.data.count)
      }
    }
  }

  /// MailBuilder ends every text part with a line break.
  func withNewline(_ text: String) -> String { text.hasSuffix("\n") ? text : text + "\n" }

  func compact(_ name: String?) -> String { (name ?? "").filter { !$0.isWhitespace } }

  func spaced(_ name: String) -> String {
    name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  @Test func singleByteTablesAgreeWithPythonCodecs() throws {
    let tables: [String: [UInt16]] = [
      "windows1251": SingleByteTables.windows1251, "koi8R": SingleByteTables.koi8R,
      "koi8U": SingleByteTables.koi8U, "iso8859_5": SingleByteTables.iso8859_5,
      "cp866": SingleByteTables.cp866, "macCyrillic": SingleByteTables.macCyrillic,
      "iso8859_2": SingleByteTables.iso8859_2, "windows1250": SingleByteTables.windows1250,
      "iso8859_15": SingleByteTables.iso8859_15, "windows1252": SingleByteTables.windows1252,
    ]
    let python = try python(Self.codecs)
    for (name, table) in tables {
      let expected = try #require(python[name] as? [Int])
      for (offset, point) in table.enumerated() where expected[offset] != 0xFFFD {
        #expect(Int(point) == expected[offset], "\(name) byte \(0x80 + offset)")
      }
    }
  }
}
