extension JSON {
  /// Indented text for people (command-line output); objects keep their member order.
  public func prettyPrinted(indent: String = "  ") -> String {
    var out = ""
    write(into: &out, indent: indent, level: 0)
    return out
  }

  private func write(into out: inout String, indent: String, level: Int) {
    let inner = String(repeating: indent, count: level + 1)
    let outer = String(repeating: indent, count: level)
    switch self {
    case .array(let items) where !items.isEmpty:
      out += "[\n"
      for (index, item) in items.enumerated() {
        out += inner
        item.write(into: &out, indent: indent, level: level + 1)
        out += index < items.count - 1 ? ",\n" : "\n"
      }
      out += outer + "]"
    case .object(let object) where !object.isEmpty:
      out += "{\n"
      for (index, member) in object.enumerated() {
        out += inner + String(decoding: JSON.string(member.key).serialized(), as: UTF8.self) + ": "
        member.value.write(into: &out, indent: indent, level: level + 1)
        out += index < object.count - 1 ? ",\n" : "\n"
      }
      out += outer + "}"
    default:
      out += String(decoding: serialized(), as: UTF8.self)
    }
  }
}
