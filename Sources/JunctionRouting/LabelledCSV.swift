import JunctionModel

/// One labelled example: a message and the skill it belongs to.
public struct LabelledText: Sendable, Equatable {
  /// The message.
  public var text: String
  /// The skill (or intent) id.
  public var label: String

  /// Creates an example.
  public init(text: String, label: String) {
    self.text = text
    self.label = label
  }
}

/// Reads CSV files of labelled examples (`text,skill`): RFC 4180 quoting (`"..."` with `""`
/// for a quote, newlines allowed inside quotes), UTF-8 with or without a byte-order mark, LF or
/// CRLF line ends. The header row must name the columns; extra columns are ignored.
public enum LabelledCSV {
  /// Parses `bytes`; `labelColumn` names the label's column (`skill`, or `category` for
  /// BANKING77). Throws ``RoutingError/csv(line:message:)`` naming the line at fault.
  public static func parse(_ bytes: [UInt8], labelColumn: String = "skill") throws(RoutingError)
    -> [LabelledText]
  {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = UTF8Text.string(body) else {
      throw .csv(line: firstInvalidLine(body), message: "not valid UTF-8")
    }
    let rows = try records(text)
    guard let header = rows.first else {
      throw .csv(line: 1, message: "empty file; expected a header row \"text,\(labelColumn)\"")
    }
    let names = header.fields.map { $0.trimmed(of: " \t") }
    guard let textIndex = names.firstIndex(of: "text"),
      let labelIndex = names.firstIndex(of: labelColumn)
    else {
      throw .csv(
        line: 1,
        message:
          "header must name columns \"text\" and \"\(labelColumn)\", found \"\(names.joined(separator: ","))\""
      )
    }
    var result: [LabelledText] = []
    for row in rows.dropFirst() {
      if row.fields.count == 1, row.fields[0].isEmpty { continue }
      guard row.fields.count == names.count else {
        throw .csv(
          line: row.line, message: "expected \(names.count) fields, found \(row.fields.count)")
      }
      let label = row.fields[labelIndex].trimmed(of: " \t")
      guard !label.isEmpty else { throw .csv(line: row.line, message: "empty \(labelColumn)") }
      let message = row.fields[textIndex]
      guard !message.allSatisfy(\.isWhitespace) else {
        throw .csv(line: row.line, message: "empty text")
      }
      result.append(LabelledText(text: message, label: label))
    }
    return result
  }

  /// Splits the text into records, each with the line it starts on.
  static func records(_ text: String) throws(RoutingError) -> [(line: Int, fields: [String])] {
    var rows: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field = String.UnicodeScalarView()
    var line = 1
    var rowLine = 1
    var quoted = false
    var afterQuote = false
    var iterator = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    func endRow() {
      fields.append(String(field))
      rows.append((rowLine, fields))
      fields = []
      field = String.UnicodeScalarView()
    }
    while let scalar = pending ?? iterator.next() {
      pending = nil
      if quoted {
        if scalar == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              field.append("\"")
            } else {
              quoted = false
              afterQuote = true
              pending = next
            }
          } else {
            quoted = false
            afterQuote = true
          }
        } else {
          if scalar == "\n" { line += 1 }
          field.append(scalar)
        }
        continue
      }
      switch scalar {
      case ",":
        fields.append(String(field))
        field = String.UnicodeScalarView()
        afterQuote = false
      case "\r":
        continue
      case "\n":
        endRow()
        afterQuote = false
        line += 1
        rowLine = line
      case "\"":
        guard field.isEmpty, !afterQuote else {
          throw .csv(line: line, message: "unexpected quote inside an unquoted field")
        }
        quoted = true
      default:
        if afterQuote { throw .csv(line: line, message: "text after a closing quote") }
        field.append(scalar)
      }
    }
    if quoted { throw .csv(line: rowLine, message: "quoted field not closed") }
    if !field.isEmpty || !fields.isEmpty || afterQuote { endRow() }
    return rows
  }

  /// The 1-based line holding the first byte that is not valid UTF-8.
  static func firstInvalidLine(_ bytes: ArraySlice<UInt8>) -> Int {
    var line = 1
    var lineStart = bytes.startIndex
    for index in bytes.indices where bytes[index] == 0x0A {
      if UTF8Text.string(bytes[lineStart..<index]) == nil { return line }
      line += 1
      lineStart = index + 1
    }
    return line
  }
}

extension String {
  /// The string without leading and trailing characters from `set`.
  func trimmed(of set: String) -> String {
    var view = Substring(self)
    while let first = view.first, set.contains(first) { view = view.dropFirst() }
    while let last = view.last, set.contains(last) { view = view.dropLast() }
    return String(view)
  }
}
