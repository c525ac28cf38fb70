// swift-tools-version:6.0
// Junction: a multi-channel message router for customer support.
// No SwiftPM package dependencies: Foundation, Dispatch, Glibc, Synchronization, XCTest/Testing
// and the system library libcurl only (see ../shared/DESIGN.md, "Dependencies").
import Foundation
import PackageDescription

/// Files in `adapters/` that are not Swift sources (fixtures, READMEs, manifests) are data
/// for tests and admins, not for the compiler; listed here so SwiftPM does not warn.
let adapterExcludes: [String] = {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("adapters")
  guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
  var excluded: [String] = []
  while let item = walker.nextObject() as? String {
    var isDirectory: ObjCBool = false
    _ = FileManager.default.fileExists(
      atPath: root.appendingPathComponent(item).path, isDirectory: &isDirectory)
    if isDirectory.boolValue {
      if item.hasSuffix("fixtures") {
        excluded.append(item)
        walker.skipDescendants()
      }
    } else if !item.hasSuffix(".swift") {
      excluded.append(item)
    }
  }
  return excluded
}()

let package = Package(
  name: "Junction",
  products: [
    .executable(name: "junction", targets: ["junction"])
  ],
  targets: [
    .target(name: "JunctionModel"),
    .target(name: "CSystemShims"),
    .target(name: "JunctionSystem", dependencies: ["CSystemShims"]),
    .target(name: "CDigestAcceleration"),
    .target(name: "JunctionDigest", dependencies: ["CDigestAcceleration"]),
    .target(
      name: "JunctionJournal", dependencies: ["JunctionSystem", "JunctionDigest", "JunctionModel"],
      exclude: ["FORMAT.md"]),
    .target(name: "JunctionHTTP", dependencies: ["JunctionSystem", "JunctionModel"]),
    .systemLibrary(
      name: "CCurl",
      pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]
    ),
    .target(name: "JunctionCurl", dependencies: ["CCurl", "JunctionSystem"]),
    .target(name: "JunctionMIME", dependencies: ["JunctionModel"], exclude: ["README.md"]),
    .target(name: "JunctionConfig", dependencies: ["JunctionModel"]),
    .target(
      name: "JunctionChannels",
      dependencies: ["JunctionModel", "JunctionConfig", "JunctionDigest", "JunctionHTTP"]
    ),
    .target(
      name: "JunctionRouting", dependencies: ["JunctionModel", "JunctionConfig"],
      exclude: ["ROUTING-CONFIG.md", "QUEUES-CONFIG.md"]),
    .target(
      name: "JunctionDelivery",
      dependencies: [
        "JunctionModel", "JunctionSystem", "JunctionDigest", "JunctionJournal", "JunctionCurl",
        "JunctionChannels",
      ]
    ),
    .target(
      name: "JunctionAdapters",
      dependencies: [
        "JunctionModel", "JunctionConfig", "JunctionDigest", "JunctionChannels", "JunctionHTTP",
        "JunctionMIME",
      ],
      path: "adapters",
      exclude: adapterExcludes
    ),
    .target(
      name: "JunctionGateway",
      dependencies: [
        "JunctionModel", "JunctionSystem", "JunctionDigest", "JunctionJournal", "JunctionHTTP",
        "JunctionCurl", "JunctionMIME", "JunctionConfig", "JunctionChannels", "JunctionRouting",
        "JunctionDelivery", "JunctionAdapters",
      ]
    ),
    .target(
      name: "JunctionTesting",
      dependencies: [
        "JunctionGateway", "JunctionSystem", "JunctionHTTP", "JunctionModel", "JunctionDigest",
        "JunctionCurl",
      ]
    ),
    .executableTarget(name: "junction", dependencies: ["JunctionGateway"]),
    .executableTarget(
      name: "junction-bench",
      dependencies: [
        "JunctionModel", "JunctionSystem", "JunctionDigest", "JunctionJournal", "JunctionHTTP",
        "JunctionMIME", "JunctionConfig", "JunctionRouting", "JunctionChannels", "JunctionGateway",
        "JunctionTesting",
      ],
      path: "bench/swift"
    ),

    .testTarget(name: "JunctionModelTests", dependencies: ["JunctionModel"]),
    .testTarget(name: "JunctionSystemTests", dependencies: ["JunctionSystem"]),
    .testTarget(
      name: "JunctionDigestTests", dependencies: ["JunctionDigest"], exclude: ["vectors"]),
    .testTarget(
      name: "JunctionJournalTests",
      dependencies: ["JunctionJournal", "JunctionSystem", "JunctionDigest"]
    ),
    .testTarget(name: "JunctionHTTPTests", dependencies: ["JunctionHTTP", "JunctionSystem"]),
    .testTarget(
      name: "JunctionCurlTests",
      dependencies: ["JunctionCurl", "JunctionSystem", "JunctionTesting"]),
    .testTarget(name: "JunctionMIMETests", dependencies: ["JunctionMIME"], exclude: ["corpus"]),
    .testTarget(name: "JunctionConfigTests", dependencies: ["JunctionConfig", "JunctionModel"]),
    .testTarget(name: "JunctionChannelsTests", dependencies: ["JunctionChannels"]),
    .testTarget(name: "JunctionRoutingTests", dependencies: ["JunctionRouting", "JunctionConfig"]),
    .testTarget(
      name: "JunctionDeliveryTests", dependencies: ["JunctionDelivery", "JunctionTesting"]),
    .testTarget(
      name: "JunctionAdaptersTests",
      dependencies: ["JunctionAdapters", "JunctionChannels", "JunctionTesting"]
    ),
    .testTarget(
      name: "JunctionGatewayTests", dependencies: ["JunctionGateway", "JunctionTesting"],
      exclude: ["python"]),
    .testTarget(name: "EndToEndTests", dependencies: ["JunctionTesting", "JunctionGateway"]),
  ],
  swiftLanguageModes: [.v6]
)
