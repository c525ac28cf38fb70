import Foundation

/// The generated corpus (corpus/generate.py): each NAME.eml with its NAME.json expectations.
enum Corpus {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("corpus")

  /// Names of every case, sorted.
  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
  }()

  static func message(_ name: String) -> [UInt8] {
    (try? [UInt8](Data(contentsOf: directory.appendingPathComponent(name + ".eml")))) ?? []
  }

  static func expectations(_ name: String) -> [String: Any] {
    guard let data = try? Data(contentsOf: directory.appendingPathComponent(name + ".json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }

  /// Every message of the corpus, in name order.
  static let allMessages: [[UInt8]] = names.map(message)
}

/// CRC-32 (IEEE, as Python's zlib.crc32) to compare attachment bytes with the expectations.
func crc32(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}

/// SplitMix64: a small seeded generator so fuzzing and builder tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
