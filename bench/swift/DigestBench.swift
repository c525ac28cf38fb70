import Foundation
import JunctionDigest

/// `junction-bench digest`: SHA-256 throughput, HMAC-SHA256 per webhook-sized message, CRC32C.
func digestBench(_ arguments: [String]) {
  func measure(_ label: String, iterations: Int, bytesPerIteration: Int, _ body: () -> Void) {
    body()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations { body() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let perOp = seconds / Double(iterations) * 1e6
    let rate = Double(bytesPerIteration * iterations) / seconds / 1e6
    print(String(format: "%-34@ %10.3f µs/op %10.1f MB/s", label as NSString, perOp, rate))
  }
  let mebibyte = [UInt8](repeating: 0x61, count: 1 << 20)
  let message = [UInt8](repeating: 0x62, count: 600)
  let key = HMAC<SHA256>.Key(Array("whsec-key-bytes-0123456789abcdef".utf8))
  var sink: UInt8 = 0
  measure("sha256 1 MiB", iterations: 50, bytesPerIteration: mebibyte.count) {
    sink ^= SHA256.hash(mebibyte)[0]
  }
  measure("hmac-sha256 600 B (prepared key)", iterations: 200_000, bytesPerIteration: 600) {
    var mac = HMAC<SHA256>(key: key)
    mac.update(message)
    sink ^= mac.finalize()[0]
  }
  measure("crc32c 1 MiB", iterations: 500, bytesPerIteration: mebibyte.count) {
    sink ^= UInt8(truncatingIfNeeded: CRC32C.checksum(mebibyte))
  }
  measure("sha1 1 MiB", iterations: 20, bytesPerIteration: mebibyte.count) {
    sink ^= SHA1.hash(mebibyte)[0]
  }
  if sink == 42 { print("") }
}
