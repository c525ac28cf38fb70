/// What a poller needs to know about a mailbox: whether old UIDs still hold and where new
/// ones start.
public struct IMAPMailboxStatus: Sendable, Equatable {
  /// `UIDVALIDITY`: when it changes, every UID seen before is meaningless (full resync).
  public var uidValidity: UInt32?
  /// `UIDNEXT`: the UID the next message will get (at least).
  public var uidNext: UInt32?
  /// `EXISTS` (`MESSAGES` in STATUS): how many messages the mailbox holds.
  public var exists: Int?

  /// Makes a status.
  public init(uidValidity: UInt32? = nil, uidNext: UInt32? = nil, exists: Int? = nil) {
    self.uidValidity = uidValidity
    self.uidNext = uidNext
    self.exists = exists
  }
}

/// The completion line of a tagged IMAP command: `A003 NO [ALREADYEXISTS] Mailbox exists`.
public struct IMAPTaggedCompletion: Sendable, Equatable {
  /// `OK`, `NO` or `BAD`.
  public var status: String
  /// The response code in brackets without them (`ALREADYEXISTS`, `READ-WRITE`), if any.
  public var code: String?
  /// The whole line after the tag.
  public var text: String
}
