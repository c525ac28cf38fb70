import JunctionChannels
import JunctionModel

/// When and how one mailbox is polled: a value type with one method per event, each returning
/// what the I/O shell (``MailboxPoller``) does next. Time comes in as arguments, so tests
/// drive it with a manual clock.
///
/// - A cycle selects the mailbox, finishes the post-actions (`\Seen` or the move) a previous
///   cycle or a crash left undone, searches, then fetches and journals in batches.
/// - Search: `UID <last+1>:*` while `UIDVALIDITY` matches the journaled cursor. Without a
///   cursor (first start) or after `UIDVALIDITY` changed (a resync, counted): every message
///   when journaled mail is moved away (the mailbox holds only new mail), else the `UNSEEN`
///   ones (so a first start does not import years of read mail). Message-ID dedupe makes a
///   resync harmless.
/// - Success sleeps `pollInterval`; a failure backs off exponentially (5 s, 10 s, 20 s … capped
///   at `max(300 s, pollInterval)`) and is reported as a problem until a cycle succeeds.
struct MailboxPollerStateMachine: Sendable, Equatable {
  /// What the shell does next.
  enum Action: Sendable, Equatable {
    /// Run one poll cycle now.
    case poll
    /// Wait until then, then call ``timerFired(now:)``.
    case sleep(until: Timestamp)
    /// Stopped: nothing more.
    case stop
  }

  /// What a cycle searches for.
  enum Search: Sendable, Equatable {
    case after(UInt32)
    case all
    case unseen

    /// The IMAP `UID SEARCH` criteria.
    var criteria: String {
      switch self {
      case .after(let uid): return "UID \(uid == .max ? uid : uid + 1):*"
      case .all: return "ALL"
      case .unseen: return "UNSEEN"
      }
    }
  }

  let pollInterval: Double
  /// Journaled mail is moved to a processed folder (else marked `\Seen`).
  let movesMail: Bool
  let backoffBase: Double
  let backoffCap: Double

  private(set) var cursor: MailboxCursor?
  /// The cursor stream's version as last read or written.
  private(set) var cursorVersion: UInt64
  /// UIDs journaled whose post-action is not known to be done.
  private(set) var pendingPostActions: [UInt32]
  private(set) var consecutiveFailures = 0
  private(set) var lastError: String?
  private(set) var nextPollAt: Timestamp?
  private(set) var polling = false
  private(set) var stopped = false
  private(set) var resyncs = 0
  /// The `UIDVALIDITY` of the current cycle's selection.
  private(set) var selectedValidity: UInt32?

  init(
    pollInterval: Double, movesMail: Bool, cursor: MailboxCursor?, cursorVersion: UInt64,
    backoffBase: Double = 5, backoffCap: Double = 300
  ) {
    self.pollInterval = pollInterval
    self.movesMail = movesMail
    self.cursor = cursor
    self.cursorVersion = cursorVersion
    self.backoffBase = backoffBase
    self.backoffCap = max(backoffCap, pollInterval)
    pendingPostActions = cursor?.uids ?? []
  }

  /// The poller starts: poll at once.
  mutating func started(now: Timestamp) -> Action {
    guard !stopped else { return .stop }
    polling = true
    return .poll
  }

  /// A timer went off: poll if due.
  mutating func timerFired(now: Timestamp) -> Action {
    guard !stopped else { return .stop }
    if polling { return .sleep(until: Timestamp(millis: now.millis + 1000)) }
    if let next = nextPollAt, now < next { return .sleep(until: next) }
    polling = true
    return .poll
  }

  /// The mailbox was selected: what to search for. A changed `UIDVALIDITY` drops the cursor
  /// and the pending post-actions (their UIDs mean nothing now).
  mutating func selected(_ status: MailboxStatus) -> Search {
    let validity = status.uidValidity ?? 0
    selectedValidity = validity
    if let cursor, cursor.uidValidity == validity { return .after(cursor.lastUID) }
    if cursor != nil {
      resyncs += 1
      pendingPostActions = []
    }
    return movesMail ? .all : .unseen
  }

  /// The UIDs among `found` still to fetch, ascending.
  func toFetch(_ found: [UInt32]) -> [UInt32] {
    let floor: UInt32? = cursor.flatMap { $0.uidValidity == selectedValidity ? $0.lastUID : nil }
    return found.filter { uid in floor.map { uid > $0 } ?? true }.sorted()
  }

  /// A batch was journaled with `cursor`, the stream now at `version`.
  mutating func journaled(_ cursor: MailboxCursor, version: UInt64) {
    self.cursor = cursor
    cursorVersion = version
    pendingPostActions = cursor.uids
  }

  /// The cursor in the journal is not the one this machine knew (another writer): adopt it.
  mutating func reloaded(_ cursor: MailboxCursor?, version: UInt64) {
    self.cursor = cursor
    cursorVersion = version
    pendingPostActions = cursor?.uids ?? []
  }

  /// The pending post-actions are done.
  mutating func postActionsDone() { pendingPostActions = [] }

  /// A cycle finished without error.
  mutating func succeeded(now: Timestamp) -> Action {
    polling = false
    consecutiveFailures = 0
    lastError = nil
    guard !stopped else { return .stop }
    let next = Timestamp(millis: now.millis + Int64(pollInterval * 1000))
    nextPollAt = next
    return .sleep(until: next)
  }

  /// A cycle failed (`reason` says why): back off.
  mutating func failed(now: Timestamp, reason: String) -> Action {
    polling = false
    consecutiveFailures += 1
    lastError = reason
    guard !stopped else { return .stop }
    let next = Timestamp(millis: now.millis + Int64(backoffDelay * 1000))
    nextPollAt = next
    return .sleep(until: next)
  }

  /// Seconds before the next try after the current run of failures.
  var backoffDelay: Double {
    guard consecutiveFailures > 0 else { return pollInterval }
    let exponent = Double(min(consecutiveFailures - 1, 30))
    return min(backoffCap, backoffBase * Double(1 << Int(exponent)))
  }

  /// Stops the machine; the shell ends after the cycle in progress.
  mutating func stop() { stopped = true }

  /// What `/healthz` reports while polling fails.
  var problem: String? {
    guard consecutiveFailures > 0, let lastError else { return nil }
    let retry = nextPollAt.map { " next try at \($0.json.stringValue ?? "")" } ?? ""
    return "\(consecutiveFailures) failed poll(s): \(lastError);\(retry)"
  }
}
