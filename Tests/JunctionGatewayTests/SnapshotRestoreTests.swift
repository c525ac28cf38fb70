import JunctionChannels
import JunctionDelivery
import JunctionModel
import JunctionRouting
import Testing

@testable import JunctionGateway

/// A state restored from a snapshot is the state the journal's replay builds: every record and
/// every index, including index entries no record explains (provider aliases, identities that
/// moved to another contact).
@Suite struct SnapshotRestoreTests {
  @Test func binarySnapshotRestoresTheReplayedState() throws {
    let replayed = try Self.history()
    let bytes = replayed.snapshotBytes()
    #expect(bytes.starts(with: Array("JNCSTATE".utf8)))
    expectSame(try GatewayState(snapshotBytes: bytes), replayed)
  }

  @Test func jsonSnapshotsOfFormatTwoAreStillRead() throws {
    let replayed = try Self.history()
    let restored = try GatewayState(snapshotBytes: replayed.jsonSnapshotBytes())
    // Format 2 re-derived the indexes only; everything else comes back.
    #expect(restored.conversationOrder == replayed.conversationOrder)
    #expect(restored.messages == replayed.messages)
    #expect(restored.routing == replayed.routing)
    #expect(restored.streamVersions == replayed.streamVersions)
    #expect(restored.outbox == replayed.outbox)
    #expect(restored.waiting == replayed.waiting && restored.holding == replayed.holding)
  }

  @Test func anEmptyStateRoundTrips() throws {
    expectSame(try GatewayState(snapshotBytes: GatewayState().snapshotBytes()), GatewayState())
  }

  @Test func truncatedOrDamagedSnapshotsAreRefusedWithoutTrapping() throws {
    let bytes = try Self.history(customers: 12).snapshotBytes()
    for length in stride(from: 0, to: bytes.count, by: 7) {
      #expect(throws: FieldError.self) { try GatewayState(snapshotBytes: Array(bytes[..<length])) }
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<300 {
      var damaged = bytes
      let index = Int.random(in: 12..<damaged.count, using: &generator)
      damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
      _ = try? GatewayState(snapshotBytes: damaged)  // must not trap; may or may not decode
    }
    var wrongVersion = bytes
    wrongVersion[8] = 99
    #expect(throws: FieldError.self) { try GatewayState(snapshotBytes: wrongVersion) }
  }

  /// Random changes over a few ids, so that records share keys, replace each other, gain and
  /// lose provider ids and move identities: a snapshot must carry every index entry loading
  /// would derive differently, including after a restore and more changes (the suspect keys
  /// travel through the snapshot).
  @Test(arguments: 0..<60) func indexesSurviveSnapshotsOfRandomHistories(seed: Int) throws {
    var random = SplitMix64(seed: UInt64(seed))
    var replayed = GatewayState()
    Self.randomChanges(120, into: &replayed, random: &random)
    var restored = try GatewayState(snapshotBytes: replayed.snapshotBytes())
    Self.expectSameIndexes(restored, replayed)
    // The same further changes on both, then a snapshot of the restored state.
    var second = random
    Self.randomChanges(120, into: &replayed, random: &random)
    Self.randomChanges(120, into: &restored, random: &second)
    Self.expectSameIndexes(try GatewayState(snapshotBytes: restored.snapshotBytes()), replayed)
  }

  /// Two messages that carry the same provider id (recorded, or given by a status) leave the
  /// index naming the later one; loading derives it from both records in whatever order the
  /// snapshot holds them, so the snapshot must say which. 64 such pairs: each comes back right
  /// by chance only half the time.
  @Test func aProviderIdTwoMessagesShareNamesTheLaterOne() throws {
    var state = GatewayState()
    func apply(_ change: StateChange) {
      state.apply(
        change, offset: state.lastSequence + 1, conversationId: nil,
        at: Timestamp(millis: 1_700_000_000_000), streams: [])
    }
    func inbound(_ id: String, _ providerId: String) -> StateChange {
      .messageRecorded(
        id: id,
        record: .init(
          conversationId: "cv", channel: "web", direction: .inbound, status: .received,
          providerMessageId: providerId), sentAt: nil)
    }
    for pair in 0..<64 {
      apply(inbound("first-\(pair)", "p\(pair)"))
      apply(inbound("second-\(pair)", "p\(pair)"))
      apply(inbound("inbound-\(pair)", "q\(pair)"))
      apply(
        .messageQueued(
          id: "outbound-\(pair)",
          record: .init(
            conversationId: "cv", channel: "web", direction: .outbound, status: .queued),
          idempotencyKey: nil))
      apply(
        .statusChanged(messageId: "outbound-\(pair)", status: .sent, providerMessageId: "q\(pair)"))
    }
    #expect(
      state.messageByProviderId[GatewayState.providerKey(channel: "web", providerMessageId: "p7")]
        == "second-7")
    #expect(
      state.messageByProviderId[GatewayState.providerKey(channel: "web", providerMessageId: "q7")]
        == "outbound-7")
    Self.expectSameIndexes(try GatewayState(snapshotBytes: state.snapshotBytes()), state)
  }

  static func expectSameIndexes(
    _ restored: GatewayState, _ replayed: GatewayState,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(restored.contacts == replayed.contacts, sourceLocation: sourceLocation)
    #expect(restored.contactIndex == replayed.contactIndex, sourceLocation: sourceLocation)
    #expect(restored.messages == replayed.messages, sourceLocation: sourceLocation)
    #expect(
      restored.messageByProviderId == replayed.messageByProviderId, sourceLocation: sourceLocation)
  }

  static func randomChanges(
    _ count: Int, into state: inout GatewayState, random: inout SplitMix64
  ) {
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let at = Timestamp(millis: 1_700_000_000_000)
    func identity() -> ContactIdentity {
      ContactIdentity(channel: ["web", "tg"][pick(2)], externalId: "u\(pick(6))")
    }
    for _ in 0..<count {
      let change: StateChange
      switch pick(7) {
      case 0:
        change = .contactCreated(
          Contact(
            id: "c\(pick(5))", email: pick(2) == 0 ? "A\(pick(3))@x.ru" : nil,
            phone: pick(2) == 0 ? "+7\(pick(3))" : nil, identities: [identity()], createdAt: at))
      case 1: change = .identityAdded(contactId: "c\(pick(6))", identity: identity())
      case 2: change = .contactChanged(contactId: "c\(pick(6))", .optedOut(channel: "web"))
      case 3, 4:
        change = .messageRecorded(
          id: "m\(pick(8))",
          record: .init(
            conversationId: "cv", channel: ["web", "tg"][pick(2)], direction: .inbound,
            status: .received, providerMessageId: pick(4) == 0 ? nil : "p\(pick(6))"),
          sentAt: nil, aliases: pick(4) == 0 ? ["p\(pick(6))"] : [])
      case 5:
        change = .messageQueued(
          id: "m\(pick(8))",
          record: .init(
            conversationId: "cv", channel: "web", direction: .outbound, status: .queued,
            providerMessageId: nil), idempotencyKey: nil)
      default:
        change = .statusChanged(
          messageId: "m\(pick(8))", status: [.sent, .delivered, .read][pick(3)],
          providerMessageId: pick(3) == 0 ? nil : "p\(pick(6))")
      }
      state.apply(
        change, offset: state.lastSequence + 1, conversationId: nil, at: at, streams: [])
    }
  }

  /// Customers write in twice each, through the ingest planner; then the helpdesk, router,
  /// outbox, subscriptions and agents change some of it.
  static func history(customers: Int = 200) throws -> GatewayState {
    var state = GatewayState()
    var clock: Int64 = 1_700_000_000_000
    func apply(_ change: StateChange, _ conversationId: String?, _ streams: [String] = []) {
      clock += 1
      state.apply(
        change, offset: state.lastSequence + 1, conversationId: conversationId,
        at: Timestamp(millis: clock), streams: streams)
    }
    for round in 0..<2 {
      for customer in 0..<customers {
        let message = InboundMessage(
          providerMessageId: "m\(round)-\(customer)",
          sender: SenderProfile(
            externalId: "customer-\(customer)",
            phone: customer % 5 == 0 ? "+7916000\(customer)" : nil),
          text: "hello \(round)")
        clock += 1
        let plan = IngestPlanner.plan(
          [.message(message)], channel: "web", state: state, now: Timestamp(millis: clock))
        for event in plan.events {
          apply(event.applied.change, event.applied.conversationId, event.streams)
        }
      }
    }
    let ids = state.conversationOrder
    let routed = try RoutingRecord(
      routed: FieldReader(
        ["skill": "billing", "tier": "L2", "language": "ru", "workflow": ["target": 1]]),
      at: Timestamp(millis: clock))
    for (index, id) in ids.enumerated() {
      guard let record = state.conversations[id] else { continue }
      let channel = record.conversation.channel
      switch index % 9 {
      case 0:
        apply(
          .conversationChanged(
            .routed(queue: "billing", skill: "billing", tier: "L2", priority: 2, record: routed)),
          id)
      case 1:
        apply(.conversationChanged(.assigned(agent: "agent-\(index % 3)")), id)
      case 2:
        apply(
          .conversationChanged(
            .routed(queue: "sales", skill: nil, tier: nil, priority: 0, record: routed)), id)
        apply(.routingFact(.botAnswered(entryId: "faq-\(index)")), id)
      case 3:
        apply(
          .conversationChanged(
            .offered(agent: "agent-1", expiresAt: Timestamp(millis: clock + 30_000))), id)
        apply(.conversationChanged(.tagged(["vip", "late"])), id)
      case 4:
        let message = "msg_out_\(index)"
        apply(
          .messageQueued(
            id: message,
            record: .init(
              conversationId: id, channel: channel, direction: .outbound, status: .queued),
            idempotencyKey: "token\u{1F}key-\(index)"), id)
        apply(
          .sendRetrying(
            messageId: message, attempt: 2, retryAt: Timestamp(millis: clock + 5000), partsSent: 1),
          id)
      case 5:
        let message = "msg_out_\(index)"
        apply(
          .messageQueued(
            id: message,
            record: .init(
              conversationId: id, channel: channel, direction: .outbound, status: .queued),
            idempotencyKey: nil), id)
        apply(
          .statusChanged(messageId: message, status: .sent, providerMessageId: "prov-\(index)"), id)
      case 6:
        apply(.conversationChanged(.resolved), id)
      case 7:
        apply(
          .messageRecorded(
            id: "msg_joined_\(index)",
            record: .init(
              conversationId: id, channel: channel, direction: .inbound, status: .received,
              providerMessageId: "part-a-\(index)"),
            sentAt: nil, aliases: ["part-b-\(index)", "part-c-\(index)"], fetchable: [0, 1]), id)
        apply(.messageEdited(channel: channel, editId: "edit-\(index)"), id)
      default:
        // The identity of this conversation's customer moves to the first contact.
        if let first = state.conversations[ids[0]]?.conversation.contactId {
          apply(
            .identityAdded(
              contactId: first,
              identity: ContactIdentity(channel: channel, externalId: "customer-\(index)")), nil)
        }
        apply(
          .contactChanged(contactId: record.conversation.contactId, .optedOut(channel: channel)),
          nil)
      }
    }
    apply(
      .agentUpdated(AgentProfile(id: "agent-1", skills: ["billing"], capacity: ["chat": 3])), nil)
    apply(.configApplied(version: 4, digest: "sha256:abc"), nil)
    apply(
      .subscriptionChanged(
        .created(
          Subscription(
            id: "sub_1", url: "http://127.0.0.1:9/hook", types: ["message.received"],
            createdAt: Timestamp(millis: clock), createdBy: "helpdesk"))), nil)
    apply(.subscriptionChanged(.replayed(id: "sub_1", after: 10, offset: 0)), nil)
    apply(
      .blobStored(
        messageId: nil, index: 0,
        BlobInfo(
          id: String(repeating: "ab", count: 32), size: 12, contentType: "text/plain",
          filename: "a.txt")), nil)
    apply(
      .partReceived(
        group: "web\u{1F}customer-1\u{1F}ref",
        .init(index: 1, providerMessageId: "p1", text: "first", sentAt: nil), total: 3,
        origin: .init(
          channel: "web", reference: "ref", sender: SenderProfile(externalId: "customer-1"),
          threadKey: nil)), nil)
    return state
  }
}

/// Compares two states field by field (``GatewayState`` is not `Equatable`: a conversation's
/// offer is a tuple).
func expectSame(
  _ restored: GatewayState, _ replayed: GatewayState,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(restored.lastSequence == replayed.lastSequence, sourceLocation: sourceLocation)
  #expect(restored.contacts == replayed.contacts, sourceLocation: sourceLocation)
  #expect(restored.contactIndex == replayed.contactIndex, sourceLocation: sourceLocation)
  #expect(restored.conversationOrder == replayed.conversationOrder, sourceLocation: sourceLocation)
  #expect(
    restored.conversations.count == replayed.conversations.count, sourceLocation: sourceLocation)
  for (id, expected) in replayed.conversations {
    let actual = restored.conversations[id]
    #expect(actual?.conversation == expected.conversation, sourceLocation: sourceLocation)
    #expect(actual?.threadKey == expected.threadKey, sourceLocation: sourceLocation)
    #expect(actual?.eventSequences == expected.eventSequences, sourceLocation: sourceLocation)
    #expect(actual?.queuedAt == expected.queuedAt, sourceLocation: sourceLocation)
    #expect(
      actual?.lastInboundProviderId == expected.lastInboundProviderId,
      sourceLocation: sourceLocation)
    #expect(
      actual?.lastInboundMessageId == expected.lastInboundMessageId, sourceLocation: sourceLocation)
    #expect(actual?.offer?.agent == expected.offer?.agent, sourceLocation: sourceLocation)
    #expect(actual?.offer?.expiresAt == expected.offer?.expiresAt, sourceLocation: sourceLocation)
    #expect(actual?.lapsedAgents == expected.lapsedAgents, sourceLocation: sourceLocation)
  }
  #expect(
    restored.conversationsByContact == replayed.conversationsByContact,
    sourceLocation: sourceLocation)
  #expect(
    restored.latestConversationByThread == replayed.latestConversationByThread,
    sourceLocation: sourceLocation)
  #expect(restored.holding == replayed.holding, sourceLocation: sourceLocation)
  #expect(restored.waiting == replayed.waiting, sourceLocation: sourceLocation)
  #expect(restored.messages == replayed.messages, sourceLocation: sourceLocation)
  #expect(
    restored.messageByProviderId == replayed.messageByProviderId, sourceLocation: sourceLocation)
  #expect(restored.appliedEdits == replayed.appliedEdits, sourceLocation: sourceLocation)
  #expect(restored.idempotencyKeys == replayed.idempotencyKeys, sourceLocation: sourceLocation)
  #expect(restored.outbox == replayed.outbox, sourceLocation: sourceLocation)
  #expect(
    restored.pendingAttachments == replayed.pendingAttachments, sourceLocation: sourceLocation)
  #expect(restored.blobs == replayed.blobs, sourceLocation: sourceLocation)
  #expect(restored.partGroups == replayed.partGroups, sourceLocation: sourceLocation)
  #expect(restored.agents == replayed.agents, sourceLocation: sourceLocation)
  #expect(restored.routing == replayed.routing, sourceLocation: sourceLocation)
  #expect(restored.configVersion == replayed.configVersion, sourceLocation: sourceLocation)
  #expect(restored.configDigest == replayed.configDigest, sourceLocation: sourceLocation)
  #expect(restored.subscriptions == replayed.subscriptions, sourceLocation: sourceLocation)
  #expect(
    restored.replays.mapValues { [$0.after, $0.offset] }
      == replayed.replays.mapValues { [$0.after, $0.offset] }, sourceLocation: sourceLocation)
  #expect(restored.streamVersions == replayed.streamVersions, sourceLocation: sourceLocation)
}
