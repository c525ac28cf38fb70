/// Orders work that must stay in sequence per lane (one lane per conversation) while lanes run
/// independently: only the oldest item of a lane may run, a lane waits while its head is
/// running or waiting to be retried, and other lanes do not wait for it.
///
/// A value type with explicit times (milliseconds on any clock), driven by the outbox and
/// the subscription dispatcher; tests drive it with a manual clock.
public struct LaneScheduler: Sendable {
  /// One piece of work.
  public struct Item: Sendable, Equatable {
    public var id: String
    public var lane: String
    /// Position within the lane (journal offset): lower runs first.
    public var order: UInt64
    /// Not before this time.
    public var dueAt: Int64
    /// What rate limit it counts against (a channel, a subscription).
    public var group: String

    public init(id: String, lane: String, order: UInt64, dueAt: Int64, group: String) {
      self.id = id
      self.lane = lane
      self.order = order
      self.dueAt = dueAt
      self.group = group
    }
  }

  private var items: [String: Item] = [:]
  /// Lane → ids by `order` (ascending).
  private var lanes: [String: [String]] = [:]
  private var running: Set<String> = []
  /// Heads of lanes that are not running, by due time.
  private var ready = MinHeap<ReadyEntry>()
  /// Version per id so stale heap entries are skipped.
  private var versions: [String: Int] = [:]

  public init() {}

  /// Number of items not finished.
  public var count: Int { items.count }
  /// Number of items running.
  public var runningCount: Int { running.count }

  public func contains(_ id: String) -> Bool { items[id] != nil }
  public func isRunning(_ id: String) -> Bool { running.contains(id) }
  public func item(_ id: String) -> Item? { items[id] }

  /// Adds an item; an id already present is left alone.
  public mutating func add(_ item: Item) {
    guard items[item.id] == nil else { return }
    items[item.id] = item
    var lane = lanes[item.lane] ?? []
    let position = lane.firstIndex { (items[$0]?.order ?? 0) > item.order } ?? lane.count
    let previousHead = lane.first
    lane.insert(item.id, at: position)
    lanes[item.lane] = lane
    if position == 0 {
      if let previousHead { versions[previousHead, default: 0] += 1 }
      pushIfHead(item.id)
    }
  }

  /// Changes when an item may run next (after a failed attempt).
  public mutating func reschedule(_ id: String, dueAt: Int64) {
    guard items[id] != nil else { return }
    items[id]?.dueAt = dueAt
    running.remove(id)
    versions[id, default: 0] += 1
    pushIfHead(id)
  }

  /// Marks an item running: it is not handed out again until rescheduled or finished.
  public mutating func start(_ id: String) {
    guard items[id] != nil else { return }
    running.insert(id)
    versions[id, default: 0] += 1
  }

  /// Removes a finished item (done or given up); the next item of its lane becomes ready.
  public mutating func finish(_ id: String) {
    guard let item = items.removeValue(forKey: id) else { return }
    running.remove(id)
    versions[id] = nil
    guard var lane = lanes[item.lane] else { return }
    let wasHead = lane.first == id
    lane.removeAll { $0 == id }
    if lane.isEmpty {
      lanes[item.lane] = nil
    } else {
      lanes[item.lane] = lane
      if wasHead, let next = lane.first { pushIfHead(next) }
    }
  }

  /// Items ready at `now`, earliest due first, without taking them out: the caller picks
  /// what rate limits allow and calls ``start(_:)`` for each.
  public mutating func due(now: Int64, limit: Int = .max) -> [Item] {
    var result: [Item] = []
    var skipped: [ReadyEntry] = []
    while result.count < limit, let top = ready.peek, top.dueAt <= now {
      _ = ready.pop()
      guard isCurrent(top), let item = items[top.id] else { continue }
      result.append(item)
      skipped.append(top)
    }
    for entry in skipped { ready.push(entry) }
    return result
  }

  /// The earliest time something becomes ready, nil when nothing waits.
  public mutating func nextDueTime() -> Int64? {
    while let top = ready.peek, !isCurrent(top) { _ = ready.pop() }
    return ready.peek?.dueAt
  }

  private func isCurrent(_ entry: ReadyEntry) -> Bool {
    guard let item = items[entry.id], versions[entry.id, default: 0] == entry.version,
      !running.contains(entry.id), lanes[item.lane]?.first == entry.id
    else { return false }
    return true
  }

  private mutating func pushIfHead(_ id: String) {
    guard let item = items[id], lanes[item.lane]?.first == id, !running.contains(id) else {
      return
    }
    ready.push(
      ReadyEntry(
        dueAt: item.dueAt, order: item.order, id: id, version: versions[id, default: 0]))
  }

  struct ReadyEntry: Comparable, Sendable {
    var dueAt: Int64
    var order: UInt64
    var id: String
    var version: Int

    static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
      (lhs.dueAt, lhs.order) < (rhs.dueAt, rhs.order)
    }
  }
}
