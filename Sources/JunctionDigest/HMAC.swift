/// HMAC (RFC 2104) over any ``HashFunction``.
///
/// A key is prepared once (``Key``: the hash states after absorbing the inner and outer padded
/// key blocks), so verifying many messages with one channel secret costs only the message's
/// blocks plus two finalisations.
public struct HMAC<H: HashFunction>: Sendable {
  /// A prepared key.
  public struct Key: Sendable {
    let inner: H
    let outer: H

    public init<Bytes: Collection>(_ key: Bytes) where Bytes.Element == UInt8 {
      var keyBytes = Array(key)
      if keyBytes.count > H.blockSize { keyBytes = H.hash(keyBytes) }
      keyBytes += [UInt8](repeating: 0, count: H.blockSize - keyBytes.count)
      var inner = H()
      inner.update(keyBytes.map { $0 ^ 0x36 })
      var outer = H()
      outer.update(keyBytes.map { $0 ^ 0x5c })
      self.inner = inner
      self.outer = outer
    }
  }

  private let key: Key
  private var inner: H

  /// Starts a MAC with a prepared key.
  public init(key: Key) {
    self.key = key
    inner = key.inner
  }

  /// Starts a MAC with raw key bytes.
  public init<Bytes: Collection>(key: Bytes) where Bytes.Element == UInt8 {
    self.init(key: Key(key))
  }

  /// Feeds message bytes.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }

  /// Feeds message bytes from any collection.
  public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    inner.update(bytes)
  }

  /// The authentication code.
  public func finalize() -> [UInt8] {
    var outer = key.outer
    outer.update(inner.finalize())
    return outer.finalize()
  }

  /// The MAC of `message` under `key`.
  public static func authenticationCode<Key: Collection, Message: Collection>(
    key: Key, message: Message
  ) -> [UInt8] where Key.Element == UInt8, Message.Element == UInt8 {
    var mac = HMAC(key: key)
    mac.update(message)
    return mac.finalize()
  }
}

/// Compares two byte sequences in time that depends only on their lengths, so an attacker
/// cannot learn how many leading bytes of a signature were right.
public func constantTimeEquals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
where A.Element == UInt8, B.Element == UInt8 {
  guard a.count == b.count else { return false }
  var difference: UInt8 = 0
  for (x, y) in zip(a, b) { difference |= x ^ y }
  return difference == 0
}

/// Random bytes from the operating system's generator (`getrandom`), for secrets.
public enum SecureRandom {
  public static func bytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var out = [UInt8]()
    out.reserveCapacity(count + 8)
    while out.count < count {
      let word = generator.next()
      for shift in stride(from: 0, to: 64, by: 8) where out.count < count {
        out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
      }
    }
    return out
  }
}
