/// A dictionary with `String` keys kept as many small dictionaries (shards), for the state's
/// tables that grow with traffic (messages, conversations, stream versions).
///
/// One `Dictionary` of a few hundred thousand entries doubles its storage in one step: every
/// key is rehashed and moved while the caller waits, and the live state does that under its
/// lock, so one insert in a million stalled every request for up to 100 ms. A copy-on-write
/// copy (the first mutation after a snapshot captured the state) copied the whole table the
/// same way. Here each shard grows and copies alone: the stall is a 1/``shardCount`` of it
/// (with 256 shards a million messages still stalled 1–5 ms per resize; 4,096 keep it under
/// half a millisecond, and an empty shard allocates nothing).
///
/// Each key is stored with its hash (``HashedKey``): a lookup hashes the key once, the hash
/// picks the shard, and probing a shard compares stored hashes, reading a probed key's bytes
/// only when the hashes match. A plain `[String: Value]` compares the bytes of every key it
/// probes, and in a table of millions each of those keys is a cache miss (inserting a message
/// probed several). Iteration order is unspecified, as with `Dictionary`.
public struct ShardedDictionary<Value>: Sequence {
  /// Shards per dictionary (a power of two).
  @inlinable public static var shardCount: Int { 4096 }

  // Inlinable throughout: a generic type used from other modules is otherwise run
  // unspecialised, looking up type metadata on every access.
  @usableFromInline var shards: [[HashedKey: Value]]

  /// An empty dictionary (empty shards allocate nothing).
  @inlinable public init() {
    shards = Array(repeating: [:], count: Self.shardCount)
  }

  /// A dictionary holding `pairs`; a later pair replaces an earlier one with the same key.
  @inlinable public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
    self.init()
    for (key, value) in pairs { self[key] = value }
  }

  /// The shard `key` lives in (0 ..< ``shardCount``).
  @inlinable public static func shard(of key: String) -> Int { shard(of: HashedKey(key)) }

  @inlinable @inline(__always) static func shard(of key: HashedKey) -> Int {
    key.hash & (shardCount - 1)
  }

  /// The value for `key`; assigning nil removes it. Mutations through it happen in place.
  @inlinable public subscript(key: String) -> Value? {
    get {
      let key = HashedKey(key)
      return shards[Self.shard(of: key)][key]
    }
    _modify {
      let key = HashedKey(key)
      yield &shards[Self.shard(of: key)][key]
    }
  }

  /// The value for `key`, or `defaultValue` (inserted when mutated through).
  @inlinable public subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value
  {
    get {
      let key = HashedKey(key)
      return shards[Self.shard(of: key)][key] ?? defaultValue()
    }
    _modify {
      let key = HashedKey(key)
      yield &shards[Self.shard(of: key)][key, default: defaultValue()]
    }
  }

  /// Mutates the value for `key` in place (one lookup, no copy of the value). Returns false,
  /// doing nothing, when `key` is absent.
  @inlinable @discardableResult
  public mutating func mutateValue(forKey key: String, _ body: (inout Value) throws -> Void)
    rethrows -> Bool
  {
    let key = HashedKey(key)
    let shard = Self.shard(of: key)
    guard let index = shards[shard].index(forKey: key) else { return false }
    try body(&shards[shard].values[index])
    return true
  }

  /// Sets the value for `key`, returning the value it replaced (one lookup).
  @inlinable @discardableResult
  public mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
    let key = HashedKey(key)
    return shards[Self.shard(of: key)].updateValue(value, forKey: key)
  }

  /// Removes `key`, returning its value.
  @inlinable @discardableResult
  public mutating func removeValue(forKey key: String) -> Value? {
    let key = HashedKey(key)
    return shards[Self.shard(of: key)].removeValue(forKey: key)
  }

  /// Makes room for `capacity` entries in total, spread evenly over the shards.
  @inlinable public mutating func reserveCapacity(_ capacity: Int) {
    let each = (capacity + Self.shardCount - 1) / Self.shardCount
    for index in shards.indices { shards[index].reserveCapacity(each) }
  }

  /// How many entries it holds.
  @inlinable public var count: Int { shards.reduce(0) { $0 + $1.count } }

  /// Whether it holds nothing.
  @inlinable public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

  /// Every key, in iteration order.
  @inlinable public var keys: some Sequence<String> { lazy.map { $0.key } }

  /// Every value, in iteration order.
  @inlinable public var values: some Sequence<Value> { shards.lazy.flatMap(\.values) }

  @inlinable public func makeIterator() -> Iterator { Iterator(shards: shards) }

  /// Walks the shards in order and each shard's entries.
  public struct Iterator: IteratorProtocol {
    @usableFromInline let shards: [[HashedKey: Value]]
    @usableFromInline var shard = 0
    @usableFromInline var inner: [HashedKey: Value].Iterator?

    @inlinable init(shards: [[HashedKey: Value]]) {
      self.shards = shards
      inner = shards.first?.makeIterator()
    }

    @inlinable public mutating func next() -> (key: String, value: Value)? {
      while shard < shards.count {
        if let element = inner?.next() { return (element.key.key, element.value) }
        shard += 1
        inner = shard < shards.count ? shards[shard].makeIterator() : nil
      }
      return nil
    }
  }
}

extension ShardedDictionary: Sendable where Value: Sendable {}

extension ShardedDictionary: ExpressibleByDictionaryLiteral {
  @inlinable public init(dictionaryLiteral elements: (String, Value)...) {
    self.init(elements)
  }
}

extension ShardedDictionary: Equatable where Value: Equatable {
  @inlinable public static func == (lhs: Self, rhs: Self) -> Bool { lhs.shards == rhs.shards }
}

/// A dictionary key with its hash computed once (Swift's seeded `String` hashing, so keys a
/// sender chooses cannot be made to collide). Equal keys have equal hashes, so comparing the
/// stored hashes first decides almost every probe without touching the key's bytes.
@usableFromInline struct HashedKey: Hashable, Sendable {
  @usableFromInline let hash: Int
  @usableFromInline let key: String

  @inlinable @inline(__always) init(_ key: String) {
    self.key = key
    hash = key.hashValue
  }

  @inlinable @inline(__always) static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.hash == rhs.hash && lhs.key == rhs.key
  }

  @inlinable @inline(__always) func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
