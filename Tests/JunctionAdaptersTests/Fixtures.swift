import Foundation

/// Reads fixture files from `adapters/<name>/fixtures/`.
enum Fixtures {
  static let adaptersDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("adapters")

  static func bytes(_ adapter: String, _ name: String) throws -> [UInt8] {
    let url = adaptersDirectory.appendingPathComponent(adapter).appendingPathComponent("fixtures")
      .appendingPathComponent(name)
    return [UInt8](try Data(contentsOf: url))
  }
}
