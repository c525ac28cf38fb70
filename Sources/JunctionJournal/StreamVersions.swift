import JunctionModel

/// The journal's stream versions (records naming a stream so far), bumped in place by the
/// writer as it encodes a group.
///
/// Why in place: the writer used to collect a group's new versions in a separate table and copy
/// them in after the write, so every stream of every record was looked up three or four times
/// (the overlay, the versions, the overlay again, the versions again): about 6k of the writer's
/// instructions per webhook. Now each is looked up once, and the versions from before the
/// group are kept aside until the write is done, for readers and to undo a failed write.
struct StreamVersions {
  /// The versions with the group being written (if any) counted in.
  var current: ShardedDictionary<UInt64>
  /// While a group is being written: each stream it bumped with its version before the
  /// group, in the order bumped (a stream may appear more than once). Empty between groups.
  var beforeGroup: [(stream: String, version: UInt64)] = []

  /// Adds one to the version in `slot` (absent means 0) and returns the version before.
  @inline(__always) static func bump(_ slot: inout UInt64?) -> UInt64 {
    let old = slot ?? 0
    slot = old + 1
    return old
  }

  /// The version of `stream` counting durable records only: the group being written is left
  /// out (its first bump of a stream holds the version from before it).
  func durable(_ stream: String) -> UInt64 {
    if let first = beforeGroup.first(where: { $0.stream == stream }) { return first.version }
    return current[stream] ?? 0
  }

  /// Puts back the versions from before the group (its write failed).
  mutating func undoGroup() {
    for (stream, version) in beforeGroup.reversed() {
      current[stream] = version == 0 ? nil : version
    }
    beforeGroup.removeAll(keepingCapacity: true)
  }
}
