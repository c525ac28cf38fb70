// fuzz-modules: JunctionModel
// The JSON parser (JunctionModel): arbitrary bytes. Input: [options byte][JSON text...].
//
// Checks: no trap; the depth limit holds; objects never keep a repeated key; what parses
// serialises to text that parses back to an equal value; timestamps in strings go through the
// RFC 3339 parser without trapping.
import JunctionModel

func depth(_ json: JSON) -> Int {
  switch json {
  case .array(let items): return 1 + (items.map(depth).max() ?? 0)
  case .object(let object): return 1 + (object.map { depth($0.value) }.max() ?? 0)
  default: return 0
  }
}

/// Equal as JSON values: numbers compare by value (the writer prints integral doubles as
/// integers, which parse back as `.int`), everything else structurally.
func sameValue(_ a: JSON, _ b: JSON) -> Bool {
  switch (a, b) {
  case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
  case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameValue)
  case (.object(let x), .object(let y)):
    let left = Array(x)
    let right = Array(y)
    return left.count == right.count
      && zip(left, right).allSatisfy { $0.key == $1.key && sameValue($0.value, $1.value) }
  default: return a == b
  }
}

/// Whether every object in `json` has unique keys (the parser drops or refuses repeats).
func keysUnique(_ json: JSON) -> Bool {
  switch json {
  case .array(let items): return items.allSatisfy(keysUnique)
  case .object(let object):
    return Set(object.keys).count == object.count && object.allSatisfy { keysUnique($0.value) }
  default: return true
  }
}

func visitStrings(_ json: JSON, _ body: (String) -> Void) {
  switch json {
  case .string(let text): body(text)
  case .array(let items): for item in items { visitStrings(item, body) }
  case .object(let object):
    for member in object {
      body(member.key)
      visitStrings(member.value, body)
    }
  default: break
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  var input = FuzzInput(data, count)
  let options = input.byte()
  let text = input.rest
  let maxDepth = [4, 16, 64, 512][Int(options & 3)]
  let parser = JSONParser(maxDepth: maxDepth, allowDuplicateKeys: options & 4 != 0)
  guard let value = try? parser.parse(text) else { return 0 }
  invariant(depth(value) <= maxDepth + 1, "depth \(depth(value)) over limit \(maxDepth)")
  invariant(keysUnique(value), "an object kept a repeated key")
  let written = value.serialized()
  let lenient = JSONParser(maxDepth: 1024, allowDuplicateKeys: true)
  guard let again = try? lenient.parse(written) else {
    fatalError("serialised JSON does not parse: \(String(decoding: written, as: UTF8.self))")
  }
  invariant(sameValue(again, value), "round trip changed the value")
  visitStrings(value) { string in _ = RFC3339.parse(string) }
  return 0
}
