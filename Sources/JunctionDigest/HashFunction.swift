/// A cryptographic hash function with a streaming interface.
///
/// Conforming types keep their state in a value; ``update(_:)-(UnsafeRawBufferPointer)`` may be
/// called any number of times with pieces of the input, then ``finalize()`` gives the digest.
public protocol HashFunction: Sendable {
  /// Bytes per compression block (64 for SHA-1/SHA-256/MD5, 128 for SHA-512).
  static var blockSize: Int { get }
  /// Bytes in the digest.
  static var digestSize: Int { get }
  /// A fresh state.
  init()
  /// Feeds more input.
  mutating func update(_ bytes: UnsafeRawBufferPointer)
  /// The digest of everything fed so far.
  func finalize() -> [UInt8]
}

extension HashFunction {
  /// Feeds the bytes of any collection.
  @inlinable
  public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
      let copy = Array(bytes)
      copy.withUnsafeBytes { update($0) }
    }
  }

  /// The digest of `bytes`.
  @inlinable
  public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8]
  where Bytes.Element == UInt8 {
    var hasher = Self()
    hasher.update(bytes)
    return hasher.finalize()
  }
}

/// The Merkle–Damgård buffering shared by SHA-1, SHA-256, SHA-512 and MD5: collects input into
/// blocks, hands full blocks to `compress`, and pads at the end.
@usableFromInline
struct BlockBuffer: Sendable {
  @usableFromInline var pending: [UInt8]
  @usableFromInline var count: UInt64 = 0
  @usableFromInline let blockSize: Int

  @usableFromInline init(blockSize: Int) {
    self.blockSize = blockSize
    pending = []
    pending.reserveCapacity(blockSize)
  }

  /// Feeds `bytes`, calling `compress` with each full block (straight from the input when
  /// nothing is pending, so large inputs are not copied).
  @inlinable
  mutating func feed(_ bytes: UnsafeRawBufferPointer, _ compress: (UnsafeRawPointer) -> Void) {
    count &+= UInt64(bytes.count)
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    var offset = 0
    if !pending.isEmpty {
      let take = min(blockSize - pending.count, bytes.count)
      pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
      offset = take
      if pending.count == blockSize {
        pending.withUnsafeBytes { compress($0.baseAddress!) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    while bytes.count - offset >= blockSize {
      compress(base + offset)
      offset += blockSize
    }
    if offset < bytes.count {
      pending.append(
        contentsOf: UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset))
    }
  }

  /// Pads (0x80, zeros, bit length in `lengthBytes` bytes, big- or little-endian) and compresses
  /// the final block(s).
  @inlinable
  func finish(lengthBytes: Int, bigEndian: Bool, _ compress: (UnsafeRawPointer) -> Void) {
    var tail = pending
    tail.append(0x80)
    while tail.count % blockSize != blockSize - lengthBytes { tail.append(0) }
    let bits = count &* 8
    var length = [UInt8](repeating: 0, count: lengthBytes)
    for index in 0..<8 {
      let byte = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index)))
      if bigEndian { length[lengthBytes - 1 - index] = byte } else { length[index] = byte }
    }
    tail.append(contentsOf: length)
    tail.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        compress(buffer.baseAddress! + offset)
        offset += blockSize
      }
    }
  }
}
