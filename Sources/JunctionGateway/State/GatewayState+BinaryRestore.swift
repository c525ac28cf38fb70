import Dispatch
import JunctionDelivery
import JunctionModel
import JunctionRouting

extension GatewayState {
  /// Restores a state from ``snapshotBytes()``, or from a JSON snapshot (format 2) written by
  /// an older Junction.
  public init(snapshotBytes bytes: [UInt8]) throws(FieldError) {
    guard bytes.starts(with: Self.binarySnapshotMagic) else {
      try self.init(jsonSnapshot: bytes)
      return
    }
    self.init()
    let outcome = bytes.withUnsafeBytes { raw in
      Result { () throws(FieldError) in try restoreBinary(raw) }
    }
    try outcome.get()
  }

  /// Decodes the sections on every core (each fills its own partial state), then joins them
  /// and rebuilds the queue and agent indexes.
  private mutating func restoreBinary(_ raw: UnsafeRawBufferPointer) throws(FieldError) {
    var reader = BinaryReader(raw, path: "snapshot")
    guard try reader.raw(count: 8).elementsEqual(Self.binarySnapshotMagic),
      try reader.raw(count: 4).loadUnaligned(as: UInt32.self).littleEndian
        == Self.binarySnapshotFormat
    else { throw FieldError(path: "snapshot.format", message: "unsupported snapshot format") }
    var meta = try reader.section("meta")
    lastSequence = try meta.uint()
    configVersion = try meta.intValue()
    configDigest = try meta.optionalString()
    // In file order; then decoded largest first, so that two cores finish together.
    let sections: [(Section, BinaryReader)] = [
      (.contacts, try reader.section("contacts")),
      (.conversations, try reader.section("conversations")),
      (.messages, try reader.section("messages")),
      (.routing, try reader.section("routing")),
      (.streamVersions, try reader.section("stream_versions")),
      (.rare, try reader.section("other")),
    ].sorted { $0.0.rawValue < $1.0.rawValue }
    let outcomes = concurrentMap(count: sections.count, chunks: sections.count) { index in
      var reader = sections[index].1
      return Result { () throws(FieldError) in try Self.decode(sections[index].0, &reader) }
    }
    var failure: FieldError?
    for (index, outcome) in outcomes.enumerated() {
      switch outcome {
      case .success(let part): adopt(part, from: sections[index].0)
      case .failure(let error): failure = failure ?? error
      }
    }
    if let failure { throw failure }
    indexRestored()
  }

  /// The sections of a binary snapshot, in the order they are decoded.
  fileprivate enum Section: Int {
    case conversations, messages, contacts, streamVersions, routing, rare
  }

  /// Takes the fields `section` filled from its partial state.
  private mutating func adopt(_ part: GatewayState, from section: Section) {
    switch section {
    case .contacts:
      contacts = part.contacts
      contactIndex = part.contactIndex
      contactIndexSuspects = part.contactIndexSuspects
    case .conversations:
      conversations = part.conversations
      conversationOrder = part.conversationOrder
      conversationsByContact = part.conversationsByContact
      latestConversationByThread = part.latestConversationByThread
    case .messages:
      messages = part.messages
      messageByProviderId = part.messageByProviderId
      providerIndexSuspects = part.providerIndexSuspects
    case .routing: routing = part.routing
    case .streamVersions: streamVersions = part.streamVersions
    case .rare:
      appliedEdits = part.appliedEdits
      idempotencyKeys = part.idempotencyKeys
      outbox = part.outbox
      pendingAttachments = part.pendingAttachments
      blobs = part.blobs
      agents = part.agents
      partGroups = part.partGroups
      subscriptions = part.subscriptions
      replays = part.replays
    }
  }

  fileprivate static func decode(_ section: Section, _ reader: inout BinaryReader)
    throws(FieldError)
    -> GatewayState
  {
    var state = GatewayState()
    switch section {
    case .contacts: try state.restoreContacts(&reader)
    case .conversations: try state.restoreConversations(&reader)
    case .messages: try state.restoreMessages(&reader)
    case .routing:
      let count = try reader.count()
      state.routing.reserveCapacity(count)
      for _ in 0..<count {
        let id = try reader.string()
        state.routing[id] = try RoutingRecord(snapshot: &reader)
      }
    case .streamVersions:
      let count = try reader.count()
      state.streamVersions.reserveCapacity(count)
      for _ in 0..<count { state.streamVersions[try reader.string()] = try reader.uint() }
    case .rare: try state.restoreRareRecords(&reader)
    }
    return state
  }

  private mutating func restoreContacts(_ reader: inout BinaryReader) throws(FieldError) {
    let count = try reader.count()
    contacts.reserveCapacity(count)
    contactIndex.reserveCapacity(count + count / 4)
    for _ in 0..<count {
      let contact = try SnapshotRecordCoding.contact(&reader)
      contacts[contact.id] = contact
      indexContact(contact)
    }
    try Self.applyIndexExceptions(&reader, to: &contactIndex, suspects: &contactIndexSuspects)
  }

  private mutating func restoreConversations(_ reader: inout BinaryReader) throws(FieldError) {
    let count = try reader.count()
    conversations.reserveCapacity(count)
    conversationOrder.reserveCapacity(count)
    conversationsByContact.reserveCapacity(count)
    latestConversationByThread.reserveCapacity(count)
    for _ in 0..<count {
      let record = try SnapshotRecordCoding.conversationRecord(&reader)
      let id = record.conversation.id
      conversationOrder.append(id)
      conversationsByContact[record.conversation.contactId, default: []].append(id)
      latestConversationByThread[record.threadKey] = id
      conversations[id] = record
    }
  }

  private mutating func restoreMessages(_ reader: inout BinaryReader) throws(FieldError) {
    let count = try reader.count()
    messages.reserveCapacity(count)
    messageByProviderId.reserveCapacity(count)
    for _ in 0..<count {
      let id = try reader.string()
      let conversationId = try reader.string()
      let channel = try reader.string()
      guard let direction = MessageDirection(rawValue: try reader.string()),
        let status = DeliveryStatus(rawValue: try reader.string())
      else { throw reader.error("malformed message record") }
      let providerId = try reader.optionalString()
      messages[id] = MessageRecord(
        conversationId: conversationId, channel: channel, direction: direction, status: status,
        providerMessageId: providerId)
      if let providerId {
        messageByProviderId[Self.providerKey(channel: channel, providerMessageId: providerId)] = id
      }
    }
    try Self.applyIndexExceptions(
      &reader, to: &messageByProviderId, suspects: &providerIndexSuspects)
  }

  /// Applies what ``writeIndexExceptions`` stored: a value sets the key, none removes it.
  /// The keys stay `suspects` in the restored state.
  private static func applyIndexExceptions(
    _ reader: inout BinaryReader, to index: inout ShardedDictionary<String>,
    suspects: inout ShardedDictionary<Bool>
  ) throws(FieldError) {
    let count = try reader.count()
    for _ in 0..<count {
      let key = try reader.string()
      index[key] = try reader.optionalString()
      suspects.insert(key)
    }
  }

  /// Builds ``holding`` and ``waiting`` as ``reindex(_:)`` would for every conversation, each
  /// set built once at its final size.
  private mutating func indexRestored() {
    var holds: [String: [String]] = [:]
    var waits: [String: [String]] = [:]
    for (id, record) in conversations {
      let (holder, queue) = indexPlaces(id, record)
      if let holder { holds[holder, default: []].append(id) }
      if let queue { waits[queue, default: []].append(id) }
    }
    holding = holds.mapValues { Set($0) }
    waiting = waits.mapValues { Set($0) }
  }
}
