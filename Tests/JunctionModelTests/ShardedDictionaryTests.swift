import JunctionModel
import Testing

@Suite struct ShardedDictionaryTests {
  /// Drives a `ShardedDictionary` and a plain `Dictionary` through the same random inserts,
  /// updates (also through `updateValue`), in-place mutations and removals; they must hold the
  /// same entries throughout.
  @Test func behavesLikeADictionary() {
    var sharded = ShardedDictionary<Int>()
    var plain: [String: Int] = [:]
    var random = SplitMix(seed: 7)
    // Short (small-string) and long keys, ASCII and not, sequential and random suffixes.
    let prefixes = ["msg_", "t:bench\u{1F}r0c16-t0-", "conv_ёжик_", "", "ش"]
    for step in 0..<20_000 {
      let key = prefixes[Int(random.next() % 5)] + String(random.next() % 3_000)
      switch random.next() % 5 {
      case 0:
        sharded[key] = step
        plain[key] = step
      case 4:
        #expect(sharded.updateValue(step, forKey: key) == plain.updateValue(step, forKey: key))
      case 1:
        #expect(sharded.removeValue(forKey: key) == plain.removeValue(forKey: key))
      case 2:
        let found = sharded.mutateValue(forKey: key) { $0 += 1 }
        #expect(found == (plain[key] != nil))
        if found { plain[key]! += 1 }
      default:
        sharded[key, default: 0] += 2
        plain[key, default: 0] += 2
      }
      #expect(sharded[key] == plain[key])
    }
    #expect(sharded.count == plain.count)
    #expect(sharded.isEmpty == plain.isEmpty)
    let entries = Dictionary(uniqueKeysWithValues: sharded.map { ($0.key, $0.value) })
    #expect(entries == plain)
    #expect(Set(sharded.keys) == Set(plain.keys))
    #expect(sharded.values.reduce(0, +) == plain.values.reduce(0, +))
  }

  @Test func spreadsIdsOverTheShards() {
    var sharded = ShardedDictionary<Int>()
    // Generated ids share their prefix and differ in the last characters only.
    let average = 25
    for index in 0..<(average * ShardedDictionary<Int>.shardCount) {
      sharded["msg_00000000\(index)"] = index
    }
    var perShard: [Int: Int] = [:]
    for (key, _) in sharded { perShard[ShardedDictionary<Int>.shard(of: key), default: 0] += 1 }
    #expect(perShard.count == ShardedDictionary<Int>.shardCount)
    // No shard with more than three times the average.
    #expect(perShard.values.max()! < 3 * average)
  }

  /// Keys equal as `String`s (canonically equivalent: "é" precomposed and as "e" + combining
  /// accent) are one key, as in a `Dictionary`, though their bytes differ.
  @Test func canonicallyEquivalentKeysAreOneKey() {
    var sharded = ShardedDictionary<Int>()
    let precomposed = "conv_caf\u{E9}"
    let decomposed = "conv_cafe\u{301}"
    #expect(Array(precomposed.utf8) != Array(decomposed.utf8))
    sharded[precomposed] = 1
    #expect(sharded[decomposed] == 1)
    sharded[decomposed, default: 0] += 1
    #expect(sharded.count == 1 && sharded[precomposed] == 2)
    #expect(sharded.mutateValue(forKey: decomposed) { $0 += 1 })
    #expect(sharded.removeValue(forKey: decomposed) == 3 && sharded.isEmpty)
  }

  @Test func copiesStayIndependent() {
    var original: ShardedDictionary<String> = ["a": "1", "b": "2"]
    let copy = original
    original["a"] = "changed"
    original.removeValue(forKey: "b")
    #expect(copy["a"] == "1" && copy["b"] == "2" && copy.count == 2)
    #expect(original["a"] == "changed" && original["b"] == nil && original.count == 1)
    #expect(copy != original)
    original["a"] = "1"
    original["b"] = "2"
    #expect(copy == original)
  }
}

/// A small seeded generator (SplitMix64), so a failure reproduces.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
