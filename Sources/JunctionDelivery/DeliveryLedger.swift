import JunctionModel

/// What has become of each subscription's event deliveries: the durable memory that lets
/// delivery resume after a restart without sending again what a receiver already accepted.
///
/// Kept in its own journal (`data/deliveries/`), one small record per outcome, and rebuilt
/// from it on start (snapshots keep that fast). Pure: ``apply(_:)`` folds records.
///
/// Offsets are the main journal's. An *epoch* starts at 0 and becomes the offset of a
/// `subscription.replayed` event when a replay is requested; records of an older epoch are
/// ignored, so a delivery that finishes after a replay reset cannot mark the replayed event
/// done.
public struct DeliveryLedger: Sendable {
  /// One subscription's progress.
  public struct Progress: Sendable, Equatable {
    public var epoch: UInt64 = 0
    /// Every matching event at or below this offset is finished (delivered or given up).
    public var floor: UInt64 = 0
    /// Finished events above the floor.
    public var finished: Set<UInt64> = []
    /// Events that failed and wait for their next attempt: offset → (attempts so far, when).
    public var retrying: [UInt64: Retry] = [:]
    /// When deliveries started failing without a success since (ms), nil while healthy.
    public var failingSince: Int64?
    public var delivered: Int64 = 0
    public var gaveUp: Int64 = 0
    public var lastError: String?
    public var lastSuccessAt: Int64?

    public init() {}
  }

  /// A delivery waiting to be tried again.
  public struct Retry: Sendable, Equatable {
    public var attempts: Int
    public var nextAt: Int64

    public init(attempts: Int, nextAt: Int64) {
      self.attempts = attempts
      self.nextAt = nextAt
    }
  }

  /// One ledger record.
  public enum Record: Sendable, Equatable {
    /// The receiver answered 2xx.
    case delivered(subscription: String, epoch: UInt64, offset: UInt64, at: Int64)
    /// Attempt `attempts` failed; the next is due at `nextAt`.
    case failed(
      subscription: String, epoch: UInt64, offset: UInt64, attempts: Int, nextAt: Int64,
      error: String, at: Int64)
    /// Every attempt failed; the event is skipped.
    case gaveUp(subscription: String, epoch: UInt64, offset: UInt64, error: String, at: Int64)
    /// Every matching event up to `offset` is finished.
    case floor(subscription: String, epoch: UInt64, offset: UInt64)
    /// A replay from `after` was applied, starting epoch `epoch`.
    case replay(subscription: String, epoch: UInt64, after: UInt64)
    /// The subscription is gone; forget it.
    case removed(subscription: String)
    /// The subscription was enabled again: its failure clock restarts.
    case enabled(subscription: String)
  }

  public internal(set) var progress: [String: Progress] = [:]

  public init() {}

  /// Folds one record.
  public mutating func apply(_ record: Record) {
    switch record {
    case let .delivered(id, epoch, offset, at):
      update(id, epoch) { progress in
        guard offset > progress.floor else { return }
        progress.finished.insert(offset)
        progress.retrying[offset] = nil
        progress.delivered += 1
        progress.failingSince = nil
        progress.lastSuccessAt = at
      }
    case let .failed(id, epoch, offset, attempts, nextAt, error, at):
      update(id, epoch) { progress in
        guard offset > progress.floor, !progress.finished.contains(offset) else { return }
        progress.retrying[offset] = Retry(attempts: attempts, nextAt: nextAt)
        progress.failingSince = progress.failingSince ?? at
        progress.lastError = error
      }
    case let .gaveUp(id, epoch, offset, error, at):
      update(id, epoch) { progress in
        guard offset > progress.floor else { return }
        progress.finished.insert(offset)
        progress.retrying[offset] = nil
        progress.gaveUp += 1
        progress.failingSince = progress.failingSince ?? at
        progress.lastError = error
      }
    case let .floor(id, epoch, offset):
      update(id, epoch) { progress in
        guard offset > progress.floor else { return }
        progress.floor = offset
        progress.finished = progress.finished.filter { $0 > offset }
        progress.retrying = progress.retrying.filter { $0.key > offset }
      }
    case let .replay(id, epoch, after):
      var fresh = Progress()
      fresh.epoch = epoch
      fresh.floor = after
      fresh.delivered = progress[id]?.delivered ?? 0
      fresh.gaveUp = progress[id]?.gaveUp ?? 0
      progress[id] = fresh
    case let .removed(id):
      progress[id] = nil
    case let .enabled(id):
      progress[id]?.failingSince = nil
    }
  }

  private mutating func update(_ id: String, _ epoch: UInt64, _ body: (inout Progress) -> Void) {
    var current = progress[id] ?? Progress()
    guard epoch == current.epoch else { return }
    body(&current)
    progress[id] = current
  }
}
