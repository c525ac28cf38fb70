extension CurlIMAPSession {
  /// Selects `mailbox` read-write and returns its UIDVALIDITY, UIDNEXT and EXISTS as the
  /// server announces them now. (A custom `SELECT` on the mailbox's URL: libcurl's own
  /// SELECT state stays in step, and the untagged answers are fresh on every call.)
  public func select(_ mailbox: String) async throws(CurlError) -> IMAPMailboxStatus {
    let path = IMAPMailboxName.urlPath(mailbox)
    let command = "SELECT " + IMAPMailboxName.quoted(mailbox)
    return try await onQueue { connection in
      let exchange = connection.run(path: path, command: command)
      if let error = exchange.error { return .failure(error) }
      return .success(IMAPResponseParser.mailboxStatus(exchange.transcript))
    }
  }

  /// `STATUS mailbox (MESSAGES UIDNEXT UIDVALIDITY)`: the same facts without selecting it.
  public func status(_ mailbox: String) async throws(CurlError) -> IMAPMailboxStatus {
    let command =
      "STATUS " + IMAPMailboxName.quoted(mailbox) + " (MESSAGES UIDNEXT UIDVALIDITY)"
    return try await onQueue { connection in
      let exchange = connection.run(command: command)
      if let error = exchange.error { return .failure(error) }
      guard let status = IMAPResponseParser.statusResponse(exchange.transcript) else {
        return .failure(
          CurlError(kind: .protocolError, code: 0, message: "no STATUS response for \(mailbox)"))
      }
      return .success(status)
    }
  }

  /// The UIDs in `mailbox` greater than `uid`, ascending (`UID SEARCH UID uid+1:*`, whose
  /// answer always includes the highest UID even when it is not newer: filtered here).
  public func searchUIDs(in mailbox: String, after uid: UInt32) async throws(CurlError)
    -> [UInt32]
  {
    let first = uid == .max ? uid : uid + 1
    let found = try await searchUIDs(in: mailbox, criteria: "UID \(first):*")
    return found.filter { $0 > uid }.sorted()
  }

  /// The UIDs matching IMAP search `criteria` (`UNSEEN`, `ALL`, `UID 5:*`), ascending.
  public func searchUIDs(in mailbox: String, criteria: String) async throws(CurlError)
    -> [UInt32]
  {
    let path = IMAPMailboxName.urlPath(mailbox)
    return try await onQueue { connection in
      let exchange = connection.run(path: path, command: "UID SEARCH " + criteria)
      if let error = exchange.error { return .failure(error) }
      return .success(IMAPResponseParser.searchResults(exchange.transcript).sorted())
    }
  }

  /// The whole message `uid` of `mailbox`, byte for byte (libcurl's `MAILBOX;UID=n` URL:
  /// `UID FETCH n BODY[]`, which also sets `\Seen`). Fails with `.notFound` when the UID is
  /// gone and `.responseTooLarge` beyond `maxBytes`.
  public func fetchMessage(uid: UInt32, in mailbox: String, maxBytes: Int = 64 << 20)
    async throws(CurlError) -> [UInt8]
  {
    let path = IMAPMailboxName.urlPath(mailbox) + ";UID=\(uid)"
    return try await onQueue { connection in
      let exchange = connection.run(path: path, maxBytes: maxBytes)
      if let error = exchange.error { return .failure(error) }
      return .success(exchange.body)
    }
  }

  /// Adds (or with `add` false removes) flags on message `uid`: `UID STORE uid +FLAGS (…)`.
  public func storeFlags(_ flags: [String], uid: UInt32, in mailbox: String, add: Bool = true)
    async throws(CurlError)
  {
    let command =
      "UID STORE \(uid) \(add ? "+" : "-")FLAGS.SILENT (\(flags.joined(separator: " ")))"
    try await runChecked(path: IMAPMailboxName.urlPath(mailbox), command: command)
  }

  /// Marks message `uid` `\Seen`.
  public func markSeen(uid: UInt32, in mailbox: String) async throws(CurlError) {
    try await storeFlags(["\\Seen"], uid: uid, in: mailbox)
  }

  /// Moves message `uid` from `mailbox` to `destination` (which must exist): `UID MOVE` when
  /// the server supports it, else `UID COPY`, `\Deleted` and `UID EXPUNGE` (or `EXPUNGE`
  /// without UIDPLUS, which also removes other messages already marked `\Deleted`).
  public func move(uid: UInt32, from mailbox: String, to destination: String)
    async throws(CurlError)
  {
    let path = IMAPMailboxName.urlPath(mailbox)
    let target = IMAPMailboxName.quoted(destination)
    let useMove = configuration.useMove
    try await onQueue { connection -> Result<Void, CurlError> in
      if connection.capabilities == nil {
        let probe = connection.run(command: "CAPABILITY")
        if let error = probe.error { return .failure(error) }
      }
      let capabilities = connection.capabilities ?? []
      if useMove && capabilities.contains("MOVE") {
        let exchange = connection.run(path: path, command: "UID MOVE \(uid) \(target)")
        return exchange.error.map { .failure($0) } ?? .success(())
      }
      let expunge = capabilities.contains("UIDPLUS") ? "UID EXPUNGE \(uid)" : "EXPUNGE"
      for command in [
        "UID COPY \(uid) \(target)", "UID STORE \(uid) +FLAGS.SILENT (\\Deleted)", expunge,
      ] {
        if let error = connection.run(path: path, command: command).error {
          return .failure(error)
        }
      }
      return .success(())
    }
  }

  /// Creates `mailbox` unless it exists (`CREATE`; an `[ALREADYEXISTS]` refusal or a LIST
  /// that finds it counts as success).
  public func createMailboxIfMissing(_ mailbox: String) async throws(CurlError) {
    let create = "CREATE " + IMAPMailboxName.quoted(mailbox)
    let list = "LIST \"\" " + IMAPMailboxName.quoted(mailbox)
    try await onQueue { connection -> Result<Void, CurlError> in
      let exchange = connection.run(command: create)
      guard let error = exchange.error else { return .success(()) }
      if IMAPResponseParser.taggedCompletion(exchange.transcript)?.code?.uppercased()
        == "ALREADYEXISTS"
      {
        return .success(())
      }
      let listing = connection.run(command: list)
      if listing.error == nil,
        IMAPResponseParser.listedMailboxes(listing.transcript).contains(mailbox)
      {
        return .success(())
      }
      return .failure(error)
    }
  }

  /// The names of the mailboxes matching the LIST `pattern` (`*` for all), decoded.
  public func listMailboxes(pattern: String = "*") async throws(CurlError) -> [String] {
    let command = "LIST \"\" " + IMAPMailboxName.quoted(pattern)
    return try await onQueue { connection in
      let exchange = connection.run(command: command)
      if let error = exchange.error { return .failure(error) }
      return .success(IMAPResponseParser.listedMailboxes(exchange.transcript))
    }
  }

  /// Appends `message` to `mailbox` (libcurl's upload: `APPEND mailbox (\Seen) {n}`). Not
  /// retried after a broken connection, since the server may have stored it already.
  public func append(_ message: [UInt8], to mailbox: String) async throws(CurlError) {
    let path = IMAPMailboxName.urlPath(mailbox)
    try await onQueue { connection -> Result<Void, CurlError> in
      let exchange = connection.run(path: path, upload: message, retry: false)
      return exchange.error.map { .failure($0) } ?? .success(())
    }
  }

  /// The capabilities the server announced after login.
  public func capabilities() async throws(CurlError) -> Set<String> {
    try await onQueue { connection in
      if let known = connection.capabilities { return .success(known) }
      let exchange = connection.run(command: "CAPABILITY")
      if let error = exchange.error { return .failure(error) }
      return .success(connection.capabilities ?? [])
    }
  }

  private func runChecked(path: String, command: String) async throws(CurlError) {
    try await onQueue { connection -> Result<Void, CurlError> in
      connection.run(path: path, command: command).error.map { .failure($0) } ?? .success(())
    }
  }
}
