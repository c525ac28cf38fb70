/// The durable, ordered log every Junction fact is appended to (DESIGN.md, principle 1).
///
/// The protocol is deliberately small so that the embedded ``FileJournal`` and a future
/// PostgreSQL-backed journal serving several nodes can both implement it:
///
/// - ``append(_:conditions:completion:)`` writes a batch atomically, optionally only if some
///   streams are still at an expected version (optimistic concurrency for claims, assignments,
///   dedupe), and calls back only once the batch is durable.
/// - ``read(after:limit:)`` reads committed records by sequence number.
/// - ``follow(after:_:)`` delivers every record committed after a sequence number, in order.
///
/// Sequence numbers start at 1 and are dense: record N+1 is committed after record N.
public protocol Journal: AnyObject, Sendable {
  /// Appends `entries` as one atomic batch: all become durable with consecutive sequence
  /// numbers, or none is written.
  ///
  /// Every condition is checked at commit time against the versions of the committed log plus
  /// everything committed before this batch; if one fails, nothing of the batch is written and
  /// `completion` gets ``JournalError/conflict(stream:expected:actual:)``.
  ///
  /// `completion` runs exactly once, on the journal's writer thread, after the batch is
  /// durable (per the fsync policy) **and** after every ``follow(after:_:)`` handler has seen
  /// it — so a caller that retries after a conflict reads projections that already include the
  /// conflicting write. It must not block: hand the result to another thread if there is
  /// real work to do. Success carries the sequence numbers given to the entries.
  func append(
    _ entries: [JournalEntry], conditions: [StreamCondition],
    completion: @escaping @Sendable (Result<ClosedRange<UInt64>, JournalError>) -> Void)

  /// Up to `limit` committed records with sequence numbers greater than `sequence`, oldest
  /// first. Returns an empty array when nothing newer exists.
  func read(after sequence: UInt64, limit: Int) throws(JournalError) -> [JournalRecord]

  /// Calls `handler` with every record committed after `sequence`, in order, batch by batch.
  ///
  /// Records already committed are delivered first (from disk, before `follow` returns);
  /// later ones as they commit, on the writer thread, before the appenders' completions run.
  /// The handler must be quick (apply to an in-memory projection, or signal a worker). The
  /// subscription lasts until ``JournalSubscription/cancel()``.
  func follow(after sequence: UInt64, _ handler: @escaping @Sendable ([JournalRecord]) -> Void)
    throws(JournalError) -> JournalSubscription

  /// The sequence number of the newest durable record, 0 when the journal is empty.
  var lastSequence: UInt64 { get }

  /// How many durable records name `stream` (0 for a stream never written).
  func version(of stream: String) -> UInt64

  /// Waits for appends in flight, makes everything durable and stops accepting appends
  /// (later appends fail with ``JournalError/closed``).
  func close()
}

/// One record to append.
public struct JournalEntry: Sendable {
  /// Stream keys this record belongs to (a conversation id, a contact key). Each stream's
  /// version counts the records naming it; conditions compare against it.
  public var streams: [String]
  /// The stored bytes. Junction stores one event's JSON envelope per record.
  public var payload: [UInt8]
  /// Handed unchanged to ``follow(after:_:)`` handlers of this process when the record commits
  /// (for example the decoded event, so a projection need not parse `payload` again). Never
  /// stored; `nil` for records read back from disk.
  public var context: (any Sendable)?

  public init(streams: [String] = [], payload: [UInt8], context: (any Sendable)? = nil) {
    self.streams = streams
    self.payload = payload
    self.context = context
  }
}

/// A record as committed.
public struct JournalRecord: Sendable {
  /// Position in the log, from 1.
  public var sequence: UInt64
  public var streams: [String]
  public var payload: [UInt8]
  /// The appender's ``JournalEntry/context`` when delivered live in the same process.
  public var context: (any Sendable)?

  public init(
    sequence: UInt64, streams: [String], payload: [UInt8], context: (any Sendable)? = nil
  ) {
    self.sequence = sequence
    self.streams = streams
    self.payload = payload
    self.context = context
  }
}

/// "Append only if `stream` is still at `expectedVersion`" (0: the stream has no record yet).
public struct StreamCondition: Sendable, Hashable {
  public var stream: String
  public var expectedVersion: UInt64

  public init(stream: String, expectedVersion: UInt64) {
    self.stream = stream
    self.expectedVersion = expectedVersion
  }
}

/// A live ``Journal/follow(after:_:)`` registration.
public protocol JournalSubscription: AnyObject, Sendable {
  /// Stops delivery; the handler is not called after `cancel` returns.
  func cancel()
}
